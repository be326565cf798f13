// The file-hash cache across runs (src/build-context/hash-cache-file.ts): a later run's cache
// answers for files whose size, mtime and inode are unchanged; files inside the racy window were
// never cached and are read again; a corrupt cache file is ignored; only used paths are kept.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { HashCache, hashContext } from "../../src/build-context/context-hash.js";
import { walkContext } from "../../src/build-context/context-files.js";
import { decodeHashCache, HASH_CACHE_FILE, loadHashCache, saveHashCache } from "../../src/build-context/hash-cache-file.js";
import { testTempDir } from "../helpers/temp-dirs.js";

async function fileHash(root: string, cache: HashCache, file: string): Promise<string> {
  const walk = await walkContext(root);
  return (await hashContext(walk.root, walk.entries, { cache })).files.get(file)!;
}

/** Rewrites a file in place with same-size content, keeping its inode and its exact mtime. */
function rewriteKeepingStat(abs: string, content: string): void {
  const stamp = execFileSync("stat", ["-c", "%.9Y", abs], { encoding: "utf8" }).trim();
  writeFileSync(abs, content); // same inode: truncate + write
  execFileSync("touch", ["-d", `@${stamp}`, abs]);
}

describe("hash cache across runs", () => {
  test("a later run uses the persisted hashes of unchanged files and re-reads racily clean ones", async (t) => {
    const dir = testTempDir(t, "hash-cache");
    const context = path.join(dir, "ctx");
    const state = path.join(dir, ".meshdeploy");
    execFileSync("mkdir", ["-p", context]);
    writeFileSync(path.join(context, "old.txt"), "aaaa\n");
    writeFileSync(path.join(context, "new.txt"), "bbbb\n");
    execFileSync("touch", ["-d", "@" + String(Math.floor(Date.now() / 1000) - 60), path.join(context, "old.txt")]);
    const first = loadHashCache(state);
    const oldHash = await fileHash(context, first, "old.txt");
    const newHash = await fileHash(context, first, "new.txt");
    await saveHashCache(state, first);
    assert.equal(statSync(path.join(state, HASH_CACHE_FILE)).mode & 0o777, 0o600);
    const saved = decodeHashCache(readFileSync(path.join(state, HASH_CACHE_FILE)))!;
    assert.deepEqual(saved.map((r) => path.basename(r.path)), ["old.txt"], "a file modified within the racy window is never cached");
    assert.equal(saved[0]!.sha256, oldHash);

    const inode = lstatSync(path.join(context, "old.txt")).ino;
    rewriteKeepingStat(path.join(context, "old.txt"), "AAAA\n");
    rewriteKeepingStat(path.join(context, "new.txt"), "BBBB\n");
    assert.equal(lstatSync(path.join(context, "old.txt")).ino, inode);
    const second = loadHashCache(state);
    // Same size, mtime and inode: the persisted hash answers (proof it was not read again).
    assert.equal(await fileHash(context, second, "old.txt"), oldHash);
    // Racily clean when first hashed: read again, so the same-size edit is seen.
    assert.notEqual(await fileHash(context, second, "new.txt"), newHash);
  });

  test("an edit that changes the mtime is seen; a corrupt cache file is ignored", async (t) => {
    const dir = testTempDir(t, "hash-cache-edit");
    const context = path.join(dir, "ctx");
    const state = path.join(dir, ".meshdeploy");
    execFileSync("mkdir", ["-p", context, state]);
    const file = path.join(context, "f.txt");
    writeFileSync(file, "one\n");
    execFileSync("touch", ["-d", "@" + String(Math.floor(Date.now() / 1000) - 60), file]);
    const first = loadHashCache(state);
    const before = await fileHash(context, first, "f.txt");
    await saveHashCache(state, first);
    writeFileSync(file, "two\n");
    execFileSync("touch", ["-d", "@" + String(Math.floor(Date.now() / 1000) - 30), file]);
    assert.notEqual(await fileHash(context, loadHashCache(state), "f.txt"), before);
    assert.equal(loadHashCache(state).size, 1);
    const bytes = readFileSync(path.join(state, HASH_CACHE_FILE));
    bytes[bytes.length - 40]! ^= 1; // one bit of the stored sha256: the checksum refuses the file
    writeFileSync(path.join(state, HASH_CACHE_FILE), bytes);
    assert.equal(loadHashCache(state).size, 0);
    writeFileSync(path.join(state, HASH_CACHE_FILE), bytes.subarray(0, bytes.length - 10));
    assert.equal(loadHashCache(state).size, 0);
    writeFileSync(path.join(state, HASH_CACHE_FILE), "{not a cache");
    assert.equal(loadHashCache(state).size, 0);
  });
});
