// A build context that exercises every packing rule at once, built the same way on every
// machine (explicit modes, exact nanosecond mtimes via GNU `touch -d @…`). The archive the
// MeshAgent 0.39.9 CLI makes of it (its own oci_archive.py under CPython 3.13 + pathspec 1.1.1)
// is committed as test/fixtures/build/golden-context.tar; golden.test.ts compares byte for byte.
import { execFileSync } from "node:child_process";
import { chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export const GOLDEN_DOCKERFILE = "docker/Dockerfile";

const DOCKERIGNORE = [
  "# build outputs",
  "docker",
  "node_modules",
  "*.log",
  "!keep/*.log",
  "build/",
  "",
  "\\#literal-hash",
  "\\!literal-bang",
  "sub/**/x.tmp",
  "/z/only",
  "trailing-space\\ ",
].join("\n");

const long = (c: string, n: number): string => c.repeat(n);

/** Relative path → content (directories are created as needed). */
function files(): [string, string | Buffer][] {
  const bytes = Buffer.alloc(5000);
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = (i * 131 + 7) & 0xff;
  return [
    [".dockerignore", `${DOCKERIGNORE}\n`],
    [GOLDEN_DOCKERFILE, "FROM scratch\nCOPY . /\n"],
    ["docker/other.txt", "ignored with its directory\n"],
    ["node_modules/pkg/index.js", "ignored\n"],
    ["keep/a.log", "kept by the negation\n"],
    ["logs/b.log", "ignored at depth\n"],
    ["root.log", "ignored\n"],
    ["build/out.bin", "ignored directory\n"],
    ["sub/deep/er/x.tmp", "ignored by **\n"],
    ["sub/deep/er/y.txt", "kept\n"],
    ["#literal-hash", "ignored\n"],
    ["!literal-bang", "ignored\n"],
    ["z/only", "ignored (anchored)\n"],
    ["only", "kept (the anchored pattern is /z/only)\n"],
    ["trailing-space ", "ignored\n"],
    ["z/a", "a\n"],
    ["z/\u{ff46}", "fullwidth f sorts before the astral emoji\n"],
    ["z/\u{1f600}", "emoji\n"],
    ["\u00fcn\u00ef/f\u00efl\u00e9", "non-ASCII names go to pax path\n"],
    [long("n", 100), "exactly 100 bytes: fits the ustar name\n"],
    [`${long("m", 99)}/${long("n", 100)}`, "a 99-byte directory (100 with its slash)\n"],
    [`d/${long("q", 150)}/f`, "long directory\n"],
    ["sp ace/file", "space\n"],
    ["empty", ""],
    ["f512", Buffer.alloc(512, 0x61)],
    ["bytes.bin", bytes],
    ["run.sh", "#!/bin/sh\necho run\n"],
    ["h1", "hard linked three times\n"],
    ["._apple", "AppleDouble: always skipped\n"],
    ["sub/._x", "AppleDouble: always skipped\n"],
  ];
}

const MODES: [string, number][] = [
  ["run.sh", 0o4755],
  ["sp ace", 0o1777],
  ["bytes.bin", 0o600],
  ["f512", 0o640],
];

const LINKS: [string, string][] = [
  ["longlink", long("t", 120)],
  ["ulink", "t\u00e4rget"],
  ["outside", "../../etc"],
  ["absolute", "/etc/passwd"],
  ["broken", "nowhere"],
  ["blink", "build"],
  ["sub/dirlink", "deep"],
];

/** Exact mtimes (seconds, as text for `touch -d @…`), applied after everything exists. */
const MTIMES: [string, string][] = [
  ["h1", "1700000000.123456789"],
  ["empty", "1700000000.5"],
  ["f512", "1700000001.5"],
  ["bytes.bin", "0"],
  ["run.sh", "-5.25"],
  ["only", "9000000000.75"],
  ["ulink", "1600000000.000000001"],
];

export function buildGoldenTree(root: string): void {
  for (const [rel, body] of files()) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, body);
  }
  linkSync(path.join(root, "h1"), path.join(root, "sub/h2"));
  linkSync(path.join(root, "h1"), path.join(root, "z/h3"));
  for (const [rel, target] of LINKS) symlinkSync(target, path.join(root, rel));

  const all = listNonLinks(root);
  for (const abs of all) chmodSync(abs, lstatSync(abs).isDirectory() ? 0o755 : 0o644);
  for (const [rel, mode] of MODES) chmodSync(path.join(root, rel), mode);

  const stamp = "1710000000.25";
  for (const abs of all.filter((p) => !MTIMES.some(([rel]) => path.join(root, rel) === p))) touch(abs, stamp);
  for (const [rel] of LINKS) touch(path.join(root, rel), stamp);
  for (const [rel, when] of MTIMES) touch(path.join(root, rel), when);
  // Directories last, deepest first: creating their children moved their mtimes.
  const dirs = all.filter((p) => lstatSync(p).isDirectory());
  for (const dir of dirs.sort((a, b) => b.length - a.length)) touch(dir, "1720000000.75");
}

/** Every file and directory under root (not root itself, not symlinks). */
function listNonLinks(root: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(root)) {
    const abs = path.join(root, name);
    const st = lstatSync(abs);
    if (st.isSymbolicLink()) continue;
    out.push(abs);
    if (st.isDirectory()) out.push(...listNonLinks(abs));
  }
  return out;
}

function touch(abs: string, when: string): void {
  execFileSync("touch", ["-h", "-d", `@${when}`, abs]);
}
