// The context walk (src/build-context/context-files.ts) on real trees in temp directories: the CLI's
// os.walk order, .dockerignore/preservation/AppleDouble rules, symlinks stored and never
// followed, hard links, and the entries it refuses (FIFO, socket, non-UTF-8 name).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import { BuildContextError } from "../../src/build-context/build-error.js";
import { compareCodePoints, walkContext } from "../../src/build-context/context-files.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { writeTree } from "./helpers.js";

async function paths(root: string, dockerfile?: string): Promise<string[]> {
  const walk = await walkContext(root, dockerfile === undefined ? {} : { dockerfile });
  return walk.entries.map((e) => (e.type === "dir" ? `${e.path}/` : e.path));
}

describe("walkContext order", () => {
  test("per directory: sub-directories, then files, each sorted; then depth first", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "b.txt": "b", "a.txt": "a", "zdir/x": "x", "adir/y": "y", "adir/inner/z": "z", "M": "m" });
    assert.deepEqual(await paths(root), ["adir/", "zdir/", "M", "a.txt", "b.txt", "adir/inner/", "adir/y", "adir/inner/z", "zdir/x"]);
  });

  test("names sort by code point (UTF-8 bytes), not UTF-16 units", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "\u{1f600}": "emoji", "\u{ff46}": "fullwidth f", "a": "a", "\u00e9": "e acute" });
    assert.deepEqual(await paths(root), ["a", "\u00e9", "\u{ff46}", "\u{1f600}"]);
    assert.ok(compareCodePoints("\u{ff46}", "\u{1f600}") < 0);
    assert.ok("\u{ff46}" > "\u{1f600}", "UTF-16 order differs, which is why the comparator exists");
  });

  test("entries carry permission bits, size, exact mtime and inode", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "run.sh": "#!/bin/sh\n" });
    execFileSync("chmod", ["4755", path.join(root, "run.sh")]);
    execFileSync("touch", ["-d", "@1700000000.123456789", path.join(root, "run.sh")]);
    const [entry] = (await walkContext(root)).entries;
    assert.equal(entry?.type, "file");
    assert.equal(entry?.mode, 0o4755);
    assert.equal(entry?.size, 10);
    assert.equal(entry?.mtimeNs, 1700000000123456789n);
    assert.ok(typeof entry?.ino === "bigint" && entry.ino > 0n);
  });
});

describe("walkContext ignore rules", () => {
  test(".dockerignore excludes paths and prunes ignored directories", async (t) => {
    const root = writeTree(testTempDir(t, "build"), {
      ".dockerignore": "node_modules\n!node_modules/keep\n*.log\n!keep.log\n",
      "node_modules/keep": "a negation cannot reach into a pruned directory",
      "a.log": "x",
      "sub/b.log": "x",
      "keep.log": "x",
      "app.js": "x",
    });
    assert.deepEqual(await paths(root), ["sub/", ".dockerignore", "app.js", "keep.log"]);
  });

  test("the root .dockerignore is packed (the CLI preserves it), a dangling one is not", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { ".dockerignore": "x\n", "f": "f" });
    assert.deepEqual(await paths(root), [".dockerignore", "f"]);
    const dangling = writeTree(testTempDir(t, "build"), { ".dockerignore": { symlink: "missing" }, "f": "f" });
    assert.deepEqual(await paths(dangling), ["f"]);
    const nested = writeTree(testTempDir(t, "build"), { "sub/.dockerignore": "x\n" });
    assert.deepEqual(await paths(nested), ["sub/", "sub/.dockerignore"]);
  });

  test("the Dockerfile is force-included, with its directories, when .dockerignore matches it", async (t) => {
    const root = writeTree(testTempDir(t, "build"), {
      ".dockerignore": "docker\nDockerfile\n",
      "docker/Dockerfile": "FROM scratch\n",
      "docker/other.txt": "still ignored",
      "Dockerfile": "ignored: not the Dockerfile in use",
    });
    assert.deepEqual(await paths(root, "docker/Dockerfile"), ["docker/", ".dockerignore", "docker/Dockerfile"]);
    assert.deepEqual(await paths(root, "Dockerfile"), [".dockerignore", "Dockerfile"]);
  });

  test("._* AppleDouble files are always skipped", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "._a": "x", "sub/._b": "x", "._dir/c": "x", "a": "a" });
    assert.deepEqual(await paths(root), ["sub/", "a"]);
  });

  test("a directory pattern also matches a symlink to a directory", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { ".dockerignore": "cache/\n", "real/f": "f", "cache": { symlink: "real" } });
    assert.deepEqual(await paths(root), ["real/", ".dockerignore", "real/f"]);
  });
});

describe("walkContext symlinks and hard links", () => {
  test("symlinks are stored as links with their text and never followed", async (t) => {
    const outside = writeTree(testTempDir(t, "build"), { "secret.txt": "outside the context" });
    const root = writeTree(testTempDir(t, "build"), {
      "data/inner.txt": "x",
      "to-dir": { symlink: "data" },
      "to-outside": { symlink: outside },
      "to-outside-file": { symlink: path.join(outside, "secret.txt") },
      "relative-out": { symlink: "../../etc" },
      "broken": { symlink: "nowhere" },
    });
    const walk = await walkContext(root);
    const links = Object.fromEntries(walk.entries.filter((e) => e.type === "symlink").map((e) => [e.path, e.linkTarget]));
    assert.deepEqual(links, {
      "to-dir": "data",
      "to-outside": outside,
      "to-outside-file": path.join(outside, "secret.txt"),
      "relative-out": "../../etc",
      "broken": "nowhere",
    });
    // Links to directories (../../etc is /etc from a temp dir) sort with the directories;
    // nothing behind any link is listed.
    assert.deepEqual(
      walk.entries.map((e) => e.path),
      ["data", "relative-out", "to-dir", "to-outside", "broken", "to-outside-file", "data/inner.txt"],
    );
    assert.ok(walk.entries.every((e) => !e.path.includes("secret")));
  });

  test("a second name of the same inode becomes a hardlink entry to the first", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "a": "same", "sub/x": "x" });
    linkSync(path.join(root, "a"), path.join(root, "sub/b"));
    const walk = await walkContext(root);
    assert.deepEqual(
      walk.entries.map((e) => [e.path, e.type, e.size, e.linkTarget]),
      [
        ["sub", "dir", 0, undefined],
        ["a", "file", 4, undefined],
        ["sub/b", "hardlink", 0, "a"],
        ["sub/x", "file", 1, undefined],
      ],
    );
  });

  test("a .dockerignore that resolves outside the context is refused", async (t) => {
    const outside = writeTree(testTempDir(t, "build"), { "ignore": "*\n" });
    const root = writeTree(testTempDir(t, "build"), { ".dockerignore": { symlink: path.join(outside, "ignore") } });
    await assert.rejects(walkContext(root), (e: unknown) => e instanceof BuildContextError && e.reason === "outside-context");
  });
});

describe("walkContext refusals", () => {
  test("a FIFO is refused with an error naming it; an ignored one is fine", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "app.js": "x" });
    mkdirSync(path.join(root, "run"));
    execFileSync("mkfifo", [path.join(root, "run", "pipe")]);
    await assert.rejects(walkContext(root), (e: unknown) => {
      assert.ok(e instanceof BuildContextError);
      assert.equal(e.reason, "unsupported-entry");
      assert.equal(e.code, "E_BUILD");
      assert.equal(e.path, path.join(root, "run", "pipe"));
      assert.match(e.message, /^unsupported filesystem entry for image packing: .*\/run\/pipe is a FIFO/);
      assert.match(e.hint ?? "", /\.dockerignore/);
      return true;
    });
    writeFileSync(path.join(root, ".dockerignore"), "run/pipe\n");
    assert.deepEqual(await paths(root), ["run/", ".dockerignore", "app.js"]);
  });

  test("a socket is refused", async (t) => {
    const root = testTempDir(t, "build");
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(path.join(root, "app.sock"), resolve));
    t.after(() => server.close());
    await assert.rejects(walkContext(root), /app\.sock is a socket/);
  });

  test("a file name that is not UTF-8 is refused rather than mangled", async (t) => {
    const root = testTempDir(t, "build");
    writeFileSync(Buffer.concat([Buffer.from(`${root}/bad-`), Buffer.from([0xff, 0xfe])]), "x");
    await assert.rejects(walkContext(root), (e: unknown) => e instanceof BuildContextError && e.reason === "encoding");
  });

  test("a missing context or a file is not a directory", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "f": "x" });
    for (const dir of [path.join(root, "missing"), path.join(root, "f")]) {
      await assert.rejects(walkContext(dir), (e: unknown) => e instanceof BuildContextError && e.reason === "not-a-directory");
    }
  });
});
