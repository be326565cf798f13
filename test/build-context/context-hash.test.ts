// meshdeploy.context-hash (src/build-context/context-hash.ts): deterministic over content, blind to
// mtimes, sensitive to content, mode, links and names; changedFiles names the edits; a warm
// HashCache re-reads only the files whose size, mtime or inode changed.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, lstatSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { changedFiles, HashCache, hashContext, type ContextHash } from "../../src/build-context/context-hash.js";
import { walkContext } from "../../src/build-context/context-files.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { writeTree, type TreeSpec } from "./helpers.js";

const TREE: TreeSpec = {
  "Dockerfile": "FROM scratch\n",
  "src/a.js": "a\n",
  "src/b.js": "b\n",
  "src/deep/c.bin": Buffer.alloc(3000, 7),
  "link": { symlink: "src/a.js" },
};

async function hashOf(root: string, cache?: HashCache): Promise<ContextHash> {
  const walk = await walkContext(root);
  return hashContext(walk.root, walk.entries, cache === undefined ? {} : { cache });
}

/** Set an exact mtime (GNU touch keeps nanoseconds). */
function touch(abs: string, when: string): void {
  execFileSync("touch", ["-h", "-d", `@${when}`, abs]);
}

/** Moves files' mtimes a minute back, out of the racy window (RACY_WINDOW_NS), so they are cached. */
function age(root: string, files: string[]): void {
  const past = Date.now() / 1000 - 60;
  for (const file of files) utimesSync(path.join(root, file), past, past);
}

describe("hashContext", () => {
  test("same content, different mtimes and directories → same hash", async (t) => {
    const a = writeTree(testTempDir(t, "build"), TREE);
    const b = writeTree(testTempDir(t, "build"), TREE);
    for (const rel of ["Dockerfile", "src/a.js", "src/deep/c.bin", "link", "src"]) touch(path.join(b, rel), "1000000000.5");
    const [ha, hb] = [await hashOf(a), await hashOf(b)];
    assert.match(ha.hash, /^[0-9a-f]{64}$/);
    assert.equal(ha.hash, hb.hash);
    assert.deepEqual(ha.files, hb.files);
    assert.deepEqual(changedFiles(ha, hb), []);
  });

  test("files maps each regular file to its content sha256", async (t) => {
    const root = writeTree(testTempDir(t, "build"), TREE);
    const { files } = await hashOf(root);
    assert.deepEqual([...files.keys()], ["Dockerfile", "src/a.js", "src/b.js", "src/deep/c.bin"]);
    assert.equal(files.get("src/a.js"), "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7"); // sha256("a\n")
  });

  test("one byte changed → different hash, and changedFiles names that file", async (t) => {
    const root = writeTree(testTempDir(t, "build"), TREE);
    const before = await hashOf(root);
    const bytes = Buffer.alloc(3000, 7);
    bytes[1500] = 8;
    writeFileSync(path.join(root, "src/deep/c.bin"), bytes);
    const after = await hashOf(root);
    assert.notEqual(after.hash, before.hash);
    assert.deepEqual(changedFiles(before, after), ["src/deep/c.bin"]);
    assert.deepEqual(changedFiles(before.files, after.files), ["src/deep/c.bin"]);
  });

  test("added and removed files are named too", async (t) => {
    const root = writeTree(testTempDir(t, "build"), TREE);
    const before = await hashOf(root);
    rmSync(path.join(root, "src/b.js"));
    writeFileSync(path.join(root, "src/new.js"), "new\n");
    const after = await hashOf(root);
    assert.notEqual(after.hash, before.hash);
    assert.deepEqual(changedFiles(before, after), ["src/b.js", "src/new.js"]);
  });

  test("a mode change, a new link target, a rename or an ignored file change the hash as the tar changes", async (t) => {
    const root = writeTree(testTempDir(t, "build"), TREE);
    const seen = new Set([(await hashOf(root)).hash]);
    chmodSync(path.join(root, "src/a.js"), 0o755);
    seen.add((await hashOf(root)).hash);
    rmSync(path.join(root, "link"));
    symlinkSync("src/b.js", path.join(root, "link"));
    seen.add((await hashOf(root)).hash);
    renameSync(path.join(root, "src/b.js"), path.join(root, "src/b2.js"));
    seen.add((await hashOf(root)).hash);
    assert.equal(seen.size, 4);
    const last = (await hashOf(root)).hash;
    writeFileSync(path.join(root, ".dockerignore"), "*.log\n"); // the file itself is packed…
    const withIgnore = (await hashOf(root)).hash;
    assert.notEqual(withIgnore, last);
    writeFileSync(path.join(root, "debug.log"), "x"); // …what it ignores is not
    assert.equal((await hashOf(root)).hash, withIgnore);
  });

  test("a warm cache re-reads only files whose size, mtime or inode changed", async (t) => {
    const root = writeTree(testTempDir(t, "build"), TREE);
    age(root, Object.keys(TREE));
    const cache = new HashCache();
    const first = await hashOf(root, cache);
    assert.equal(cache.size, 4);

    // Rewrite b.js behind the cache's back, keeping its size and exact mtime: a cache hit
    // returns the old digest, which proves the file was not read again.
    const b = path.join(root, "src/b.js");
    const mtime = lstatSync(b, { bigint: true }).mtimeNs;
    writeFileSync(b, "B\n");
    touch(b, `${mtime / 1_000_000_000n}.${String(mtime % 1_000_000_000n).padStart(9, "0")}`);
    // A real edit of a.js (new size) must be read.
    writeFileSync(path.join(root, "src/a.js"), "a2\n");

    const second = await hashOf(root, cache);
    assert.equal(second.files.get("src/b.js"), first.files.get("src/b.js"));
    assert.deepEqual(changedFiles(first, second), ["src/a.js"]);
    assert.equal(cache.size, 4);
    const cold = await hashOf(root);
    assert.notEqual(cold.files.get("src/b.js"), first.files.get("src/b.js"), "without the cache the new content is seen");
  });

  test("a file modified within the racy window is not cached: a same-size, same-mtime rewrite is seen", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "Dockerfile": "FROM scratch\n", "fresh.txt": "one\n", "old.txt": "old\n" });
    age(root, ["Dockerfile", "old.txt"]);
    const cache = new HashCache();
    const first = await hashOf(root, cache);
    assert.equal(cache.size, 2, "only the files older than the window");
    const fresh = path.join(root, "fresh.txt");
    const mtime = lstatSync(fresh, { bigint: true }).mtimeNs;
    writeFileSync(fresh, "two\n");
    touch(fresh, `${mtime / 1_000_000_000n}.${String(mtime % 1_000_000_000n).padStart(9, "0")}`);
    assert.deepEqual(changedFiles(first, await hashOf(root, cache)), ["fresh.txt"]);
  });

  test("hard links hash like the file they repeat", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "a": "same\n" });
    execFileSync("ln", [path.join(root, "a"), path.join(root, "b")]);
    const { files } = await hashOf(root);
    assert.equal(files.get("b"), files.get("a"));
  });
});
