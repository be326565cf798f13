// The file-hash cache across runs (src/build-context/hash-cache-file.ts): a later run's cache
// answers for files whose path, size, mtime and inode are unchanged (proved by a same-stat rewrite
// the cache does not see); an edit, a touch, a rename over a cached path and an edit inside the
// racy window are all read again; a run that hashed a few files appends a block, a torn append
// keeps the blocks before it, and a mostly stale file is rewritten with only the used paths.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
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

/** One CLI-like run: load the persisted cache, walk and hash, save; the content hashes. */
async function run(context: string, state: string): Promise<Map<string, string>> {
  const cache = loadHashCache(state);
  const walk = await walkContext(context);
  const { files } = await hashContext(walk.root, walk.entries, { cache });
  await saveHashCache(state, cache);
  return files;
}

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

function setMtime(abs: string, stamp: string): void {
  execFileSync("touch", ["-d", stamp, abs]);
}

function mtimeOf(abs: string): string {
  return `@${execFileSync("stat", ["-c", "%.9Y", abs], { encoding: "utf8" }).trim()}`;
}

const longAgo = (seconds: number): string => `@${Math.floor(Date.now() / 1000) - seconds}`;

/** Rewrites a file in place with same-size content, keeping its inode and its exact mtime. */
function rewriteKeepingStat(abs: string, content: string): void {
  const stamp = mtimeOf(abs);
  writeFileSync(abs, content); // same inode: truncate + write
  setMtime(abs, stamp);
}

function savedRecords(state: string): { paths: string[]; whole: boolean } {
  const decoded = decodeHashCache(readFileSync(path.join(state, HASH_CACHE_FILE)))!;
  return { paths: decoded.records.map((r) => path.basename(r.path)), whole: decoded.whole };
}

describe("hash cache across runs", () => {
  test("a later run uses the persisted hashes of unchanged files and re-reads racily clean ones", async (t) => {
    const dir = testTempDir(t, "hash-cache");
    const context = path.join(dir, "ctx");
    const state = path.join(dir, ".meshdeploy");
    mkdirSync(context, { recursive: true });
    writeFileSync(path.join(context, "old.txt"), "aaaa\n");
    writeFileSync(path.join(context, "new.txt"), "bbbb\n");
    setMtime(path.join(context, "old.txt"), longAgo(60));
    const first = loadHashCache(state);
    const oldHash = await fileHash(context, first, "old.txt");
    const newHash = await fileHash(context, first, "new.txt");
    await saveHashCache(state, first);
    assert.equal(statSync(path.join(state, HASH_CACHE_FILE)).mode & 0o777, 0o600);
    assert.deepEqual(savedRecords(state).paths, ["old.txt"], "a file modified within the racy window is never cached");

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

  test("an edit, a touch of a same-size file, a rename over a cached path and an edit in the racy window are read again", async (t) => {
    const dir = testTempDir(t, "hash-cache-misses");
    const context = path.join(dir, "ctx");
    const state = path.join(dir, ".meshdeploy");
    mkdirSync(context, { recursive: true });
    const names = ["control", "edited", "touched", "renamed", "other", "racy", "z-\u00e9t\u00e9", "z-last"];
    for (const name of names) writeFileSync(path.join(context, name), `${name.padEnd(8)} v1\n`);
    const stamp = longAgo(60);
    for (const name of names) setMtime(path.join(context, name), stamp); // all the same mtime
    const before = await run(context, state);
    assert.deepEqual(savedRecords(state).paths.sort(), [...names].sort());

    const at = (name: string): string => path.join(context, name);
    rewriteKeepingStat(at("control"), `${"control".padEnd(8)} v2\n`); // the cache cannot see this one
    rewriteKeepingStat(at("z-\u00e9t\u00e9"), `${"z-\u00e9t\u00e9".padEnd(8)} v2\n`); // a non-ASCII path found in the cache too
    rewriteKeepingStat(at("z-last"), `${"z-last".padEnd(8)} v2\n`); // found after the walk order shifted (a file added before it)
    writeFileSync(at("added"), "new\n");
    writeFileSync(at("edited"), `${"edited".padEnd(8)} v2 longer\n`);
    setMtime(at("edited"), longAgo(30));
    rewriteKeepingStat(at("touched"), `${"touched".padEnd(8)} v2\n`);
    setMtime(at("touched"), longAgo(30)); // same size and inode, only the mtime moved
    renameSync(at("other"), at("renamed")); // same size and mtime, another inode at a cached path
    writeFileSync(at("racy"), `${"racy".padEnd(8)} v2\n`); // same size, mtime now: inside the window

    const after = await run(context, state);
    assert.equal(after.get("control"), before.get("control"), "an unchanged stat is answered from the cache");
    assert.equal(after.get("z-\u00e9t\u00e9"), before.get("z-\u00e9t\u00e9"));
    assert.equal(after.get("z-last"), before.get("z-last"));
    assert.equal(after.get("added"), sha("new\n"));
    assert.equal(after.get("edited"), sha(`${"edited".padEnd(8)} v2 longer\n`));
    assert.equal(after.get("touched"), sha(`${"touched".padEnd(8)} v2\n`));
    assert.equal(after.get("renamed"), sha(`${"other".padEnd(8)} v1\n`));
    assert.equal(after.get("racy"), sha(`${"racy".padEnd(8)} v2\n`));

    // Within the racy window the file is read again on every run until its mtime is old enough.
    rewriteKeepingStat(at("racy"), `${"racy".padEnd(8)} v3\n`);
    assert.equal((await run(context, state)).get("racy"), sha(`${"racy".padEnd(8)} v3\n`));
  });

  test("a run that hashed one file appends one block; a torn append keeps what came before; a stale file is rewritten", async (t) => {
    const dir = testTempDir(t, "hash-cache-append");
    const context = path.join(dir, "ctx");
    const state = path.join(dir, ".meshdeploy");
    mkdirSync(context, { recursive: true });
    for (let i = 0; i < 10; i += 1) writeFileSync(path.join(context, `f${i}`), `file ${i}\n`);
    for (let i = 0; i < 10; i += 1) setMtime(path.join(context, `f${i}`), longAgo(60));
    await run(context, state);
    const file = path.join(state, HASH_CACHE_FILE);
    const full = statSync(file).size;

    writeFileSync(path.join(context, "f3"), "file 3, edited\n");
    setMtime(path.join(context, "f3"), longAgo(30));
    const edited = await run(context, state);
    const grown = statSync(file).size;
    assert.ok(grown > full && grown - full < 150, `one record appended (${full} -> ${grown} bytes)`);
    assert.deepEqual(savedRecords(state), { paths: [...Array.from({ length: 10 }, (_, i) => `f${i}`), "f3"], whole: true });
    const cache = loadHashCache(state);
    assert.equal(cache.size, 10, "the appended record replaces the earlier one");
    assert.equal(await fileHash(context, cache, "f3"), edited.get("f3"));

    // A torn append (the last block cut short): the blocks before it still answer, the next save rewrites.
    truncateSync(file, grown - 5);
    assert.deepEqual(savedRecords(state), { paths: Array.from({ length: 10 }, (_, i) => `f${i}`), whole: false });
    writeFileSync(path.join(context, "f4"), "file 4, edited\n");
    setMtime(path.join(context, "f4"), longAgo(30));
    const afterTorn = await run(context, state);
    assert.equal(afterTorn.get("f3"), sha("file 3, edited\n"));
    assert.deepEqual(savedRecords(state), { paths: Array.from({ length: 10 }, (_, i) => `f${i}`), whole: true }, "rewritten as one block");

    // Most files gone: appending would keep them, so the file is rewritten with the used paths only.
    for (let i = 0; i < 8; i += 1) rmSync(path.join(context, `f${i}`));
    writeFileSync(path.join(context, "f9"), "file 9, edited\n");
    setMtime(path.join(context, "f9"), longAgo(30));
    await run(context, state);
    assert.deepEqual(savedRecords(state).paths, ["f8", "f9"]);
  });

  test("a corrupt or foreign cache file is ignored", async (t) => {
    const dir = testTempDir(t, "hash-cache-corrupt");
    const context = path.join(dir, "ctx");
    const state = path.join(dir, ".meshdeploy");
    mkdirSync(context, { recursive: true });
    const file = path.join(context, "f.txt");
    writeFileSync(file, "one\n");
    setMtime(file, longAgo(60));
    const first = loadHashCache(state);
    const before = await fileHash(context, first, "f.txt");
    await saveHashCache(state, first);
    writeFileSync(file, "two\n");
    setMtime(file, longAgo(30));
    assert.notEqual(await fileHash(context, loadHashCache(state), "f.txt"), before);
    assert.equal(loadHashCache(state).size, 1);
    const bytes = readFileSync(path.join(state, HASH_CACHE_FILE));
    bytes[bytes.length - 40]! ^= 1; // one bit of the stored sha256: the block's checksum refuses it
    writeFileSync(path.join(state, HASH_CACHE_FILE), bytes);
    assert.equal(loadHashCache(state).size, 0);
    writeFileSync(path.join(state, HASH_CACHE_FILE), "{not a cache");
    assert.equal(loadHashCache(state).size, 0);
  });
});
