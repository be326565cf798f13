// The tar stream (src/build-context/tar-writer.ts, tar-header.ts): byte-identical to what the MeshAgent
// 0.39.9 CLI writes for the golden tree, readable by the system `tar`, extracting identical files
// with uid/gid 0, exact `size` known up front, and 1 MiB chunks.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { BuildContextError } from "../../src/build-context/build-error.js";
import { walkContext } from "../../src/build-context/context-files.js";
import { encodeHeader, headerLength } from "../../src/build-context/tar-header.js";
import { CHUNK_SIZE, tarChunks, tarSize } from "../../src/build-context/tar-writer.js";
import { buildGoldenTree, GOLDEN_DOCKERFILE } from "./golden-tree.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { collect, writeTree } from "./helpers.js";

async function packBytes(root: string, chunkSize?: number): Promise<{ bytes: Buffer; sizes: number[]; size: number }> {
  const walk = await walkContext(root);
  const { bytes, sizes } = await collect(tarChunks(walk.root, walk.entries, chunkSize));
  return { bytes, sizes, size: tarSize(walk.entries) };
}

describe("tar stream", () => {
  test("byte-identical to the CLI's archive of the golden tree", async (t) => {
    const root = testTempDir(t, "build");
    buildGoldenTree(root);
    const walk = await walkContext(root, { dockerfile: GOLDEN_DOCKERFILE });
    const { bytes } = await collect(tarChunks(walk.root, walk.entries));
    const golden = readFileSync(new URL("../fixtures/build/golden-context.tar", import.meta.url));
    assert.equal(tarSize(walk.entries), golden.length);
    assert.equal(bytes.length, golden.length);
    const firstDiff = bytes.findIndex((b, i) => b !== golden[i]);
    assert.equal(firstDiff, -1, `first differing byte at ${firstDiff} (member header at ${Math.floor(firstDiff / 512) * 512})`);
  });

  test("system tar lists it with owner 0/0 and extracts byte-identical files, modes and links", async (t) => {
    const root = testTempDir(t, "build");
    const big = Buffer.alloc(CHUNK_SIZE + 1234);
    for (let i = 0; i < big.length; i += 1) big[i] = (i * 7 + (i >> 9)) & 0xff;
    const longDir = `${"d".repeat(120)}/${"e".repeat(90)}`;
    writeTree(root, {
      "big.bin": big,
      "empty": "",
      "src/app.js": "console.log(1)\n",
      [`${longDir}/${"f".repeat(200)}.txt`]: "long path\n",
      "caf\u00e9/\u{1f600}.txt": "unicode\n",
      "link": { symlink: `${"t".repeat(150)}/target` },
    });
    execFileSync("chmod", ["0750", path.join(root, "src/app.js")]);
    const { bytes, size } = await packBytes(root);
    assert.equal(bytes.length, size);
    const archive = path.join(testTempDir(t, "build"), "context.tar");
    writeFileSync(archive, bytes);

    const listing = execFileSync("tar", ["-tvf", archive, "--numeric-owner"]).toString("utf8").trim().split("\n");
    assert.equal(listing.length, 10);
    for (const line of listing) assert.match(line, /^\S+ 0\/0 /);

    const out = testTempDir(t, "build");
    execFileSync("tar", ["-xf", archive, "-C", out]);
    for (const rel of ["big.bin", "empty", "src/app.js", `${longDir}/${"f".repeat(200)}.txt`, "caf\u00e9/\u{1f600}.txt"]) {
      assert.deepEqual(readFileSync(path.join(out, rel)), readFileSync(path.join(root, rel)), rel);
      assert.equal(lstatSync(path.join(out, rel)).mode & 0o7777, lstatSync(path.join(root, rel)).mode & 0o7777, rel);
    }
    assert.equal(readlinkSync(path.join(out, "link")), `${"t".repeat(150)}/target`);
  });

  test("chunks are exactly the chunk size except the last, and sum to size", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "a.bin": Buffer.alloc(10_000, 1), "b.bin": Buffer.alloc(3, 2), "c/d": "x" });
    const small = await packBytes(root, 4096);
    assert.equal(small.sizes.reduce((a, b) => a + b, 0), small.size);
    assert.ok(small.sizes.slice(0, -1).every((n) => n === 4096));
    assert.ok((small.sizes.at(-1) ?? 0) <= 4096);
    const whole = await packBytes(root);
    assert.deepEqual(whole.sizes, [whole.size]); // < 1 MiB: one chunk
    assert.deepEqual(whole.bytes, small.bytes);
    assert.equal(whole.size % 10240, 0); // padded to a 20-block record like tarfile
  });

  test("a file that changed after the walk stops the stream with a clear error", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "a.txt": "12345" });
    const walk = await walkContext(root);
    writeFileSync(path.join(root, "a.txt"), "1234");
    await assert.rejects(collect(tarChunks(walk.root, walk.entries)), (e: unknown) => e instanceof BuildContextError && e.reason === "changed");
  });

  test("an empty context is just the end-of-archive record", async (t) => {
    const root = testTempDir(t, "build");
    mkdirSync(path.join(root, "._ignored-only"));
    const { bytes, size } = await packBytes(root);
    assert.equal(size, 10240);
    assert.deepEqual(bytes, Buffer.alloc(10240));
  });
});

describe("tar headers", () => {
  const base = { mode: 0o644, size: 0, type: "0" as const, linkname: "" };

  // Expected texts checked against CPython 3.13 `TarInfo.tobuf(PAX_FORMAT)`.
  test("every member gets a pax header with the float mtime; ustar keeps round-half-even", () => {
    const h = encodeHeader({ ...base, name: "a", mtime: 1700000000.5 });
    assert.equal(h.length, 1536);
    assert.equal(h.subarray(0, 14).toString("latin1"), "././@PaxHeader");
    assert.equal(h.subarray(512, 512 + 25).toString("latin1"), "22 mtime=1700000000.5\n\0\0\0");
    const ustar = h.subarray(1024);
    assert.equal(ustar.subarray(136, 148).toString("latin1"), `${(1700000000).toString(8).padStart(11, "0")}\0`); // .5 rounds to even
    assert.equal(ustar.subarray(108, 124).toString("latin1"), "0000000\u00000000000\u0000"); // uid, gid 0
    assert.equal(ustar.subarray(257, 265).toString("latin1"), "ustar\u000000");
    assert.equal(ustar.subarray(265, 329).toString("latin1"), "\0".repeat(64)); // uname, gname empty
  });

  test("integral mtimes keep Python's .0 and out-of-range ones zero the ustar field", () => {
    const text = (m: number): string => encodeHeader({ ...base, name: "a", mtime: m }).subarray(512, 1024).toString("latin1").replace(/\0+$/, "");
    assert.equal(text(1700000000), "22 mtime=1700000000.0\n");
    assert.equal(text(-5.25), "15 mtime=-5.25\n");
    assert.equal(text(1e-5), "15 mtime=1e-05\n");
    const far = encodeHeader({ ...base, name: "a", mtime: 9000000000.75 }).subarray(1024);
    assert.equal(far.subarray(136, 148).toString("latin1"), "00000000000\0");
  });

  test("names over 100 characters or not ASCII go to pax path; the ustar name is cut / '?'", () => {
    const long = "x".repeat(101);
    const h = encodeHeader({ ...base, name: long, mtime: 1 });
    assert.match(h.subarray(512, 1024).toString("latin1"), new RegExp(`^111 path=${long}\n13 mtime=1.0\n`));
    assert.equal(h.subarray(1024, 1124).toString("latin1"), "x".repeat(100));
    const u = encodeHeader({ ...base, name: "caf\u00e9", mtime: 1 });
    assert.match(u.subarray(512, 1024).toString("utf8"), /^14 path=caf\u00e9\n13 mtime=1.0\n/); // length in bytes
    assert.equal(u.subarray(1024, 1029).toString("latin1"), "caf?\0");
    assert.equal(headerLength({ ...base, name: "x".repeat(100), mtime: 1 }), 1536); // exactly 100 fits
  });

  test("a pax record length counts its own digits", () => {
    // 3 + len("path") + value + len(" ") … : lengths crossing 99 → 100 must include the extra digit.
    for (const n of [88, 89, 90, 91, 92, 93, 95, 994, 995, 996, 997]) {
      const name = "p".repeat(n);
      const records = encodeHeader({ ...base, name, mtime: 1 }).subarray(512).toString("latin1");
      const first = records.slice(0, records.indexOf("\n") + 1);
      assert.equal(Number(first.slice(0, first.indexOf(" "))), Buffer.byteLength(first), `name of ${n}`);
    }
  });

  test("checksum: six octal digits, NUL, space", () => {
    const h = encodeHeader({ ...base, name: "a", mtime: 1 }).subarray(1024);
    let sum = 0;
    for (const [i, b] of h.entries()) sum += i >= 148 && i < 156 ? 32 : b;
    assert.equal(h.subarray(148, 156).toString("latin1"), `${sum.toString(8).padStart(6, "0")}\0 `);
  });
});
