// The file-hash cache across runs: `.meshdeploy/hash-cache.bin` holds, for each file hashed by
// earlier runs, its absolute path, size, mtime (ns) and inode with its sha256 — the HashCache's
// own key, so a hit still needs all four to match. Only files hashed outside the racy window are
// ever cached (context-hash.ts RACY_WINDOW_NS, git's racy-clean rule), so a same-size edit within
// the file system's timestamp granularity is never mistaken for the old content. A cache that
// cannot be read or has another format is ignored (everything is hashed again). Written only
// when the run stored a new hash, private (0600), best effort.
//
// Binary, because a 20k-file context's JSON cache (2.8 MB, a regex check and two BigInt parses
// per record) cost a plan more than the walk's own work. Layout: the magic line, then blocks,
// each a u32 record count, the records and a u32 CRC-32 of the count and records; a record is a
// u16 path length, the UTF-8 path, u64 size, u64 mtime ns, u64 inode and the 32-byte sha256
// (integers little-endian). A later record for a path replaces an earlier one. A run that hashed
// a few files appends one block of just those (O(change), not a rewrite of 20k records); when the
// file holds too many records this run did not use (deleted files, replaced records) it is
// rewritten crash-safely as one block of the paths this run used. Every record stands on its own
// (a hit needs the full stat key), so reading stops at the first block that fails its checksum —
// a torn append, or two runs appending at once — and keeps the blocks before it.
import { closeSync, constants, fsyncSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { crc32 } from "node:zlib";
import { writeFileAtomic } from "../local/atomic-write.js";
import { ignoreStateDir } from "../state-dir.js";
import { HashCache, type CacheRecord } from "./context-hash.js";

export const HASH_CACHE_FILE = "hash-cache.bin";
/** The JSON cache of earlier versions: removed when the binary one is written. */
const OLD_CACHE_FILE = "hash-cache.json";
const MAGIC = Buffer.from("meshdeploy-hash-cache/v2\n");
const FIXED = 2 + 8 + 8 + 8 + 32;
const MAX_PATH_BYTES = 0xffff;
/** Rewrite instead of appending once the file would hold more than this many records per used path. */
const MAX_RECORDS_PER_USED = 1.5;

interface Loaded {
  /** Records in the file, replaced ones included. */
  records: number;
  /** False when a block failed its checksum: an append after it would never be read. */
  whole: boolean;
}

/** What each loaded cache's file held, for the append-or-rewrite decision. */
const loadedFrom = new WeakMap<HashCache, Loaded>();

/** The cache persisted in `stateDir`, or an empty one. Never throws. */
export function loadHashCache(stateDir: string): HashCache {
  const cache = new HashCache();
  let data: Buffer;
  try {
    data = readFileSync(path.join(stateDir, HASH_CACHE_FILE));
  } catch {
    return cache; // absent or unreadable: hash everything again
  }
  const decoded = decodeHashCache(data);
  if (decoded === null) return cache;
  for (const record of decoded.records) cache.restore(record);
  loadedFrom.set(cache, { records: decoded.records.length, whole: decoded.whole });
  return cache;
}

/**
 * Persists what this run hashed, when it hashed anything new: appended when the file it was
 * loaded from stays mostly live, else rewritten with only the paths this run used. A failure only
 * costs the next run a re-hash.
 */
export async function saveHashCache(stateDir: string, cache: HashCache): Promise<void> {
  if (!cache.changed) return;
  const file = path.join(stateDir, HASH_CACHE_FILE);
  try {
    const loaded = loadedFrom.get(cache);
    const fresh = cache.freshRecords();
    if (loaded?.whole === true && loaded.records + fresh.length <= MAX_RECORDS_PER_USED * cache.usedCount && appendBlock(file, fresh)) {
      loadedFrom.set(cache, { records: loaded.records + fresh.length, whole: true });
      return;
    }
    ignoreStateDir(stateDir);
    const used = cache.usedRecords();
    await writeFileAtomic(file, Buffer.concat([MAGIC, encodeBlock(used)]), 0o600);
    loadedFrom.set(cache, { records: used.length, whole: true });
    rmSync(path.join(stateDir, OLD_CACHE_FILE), { force: true });
  } catch {
    // best effort: a cache
  }
}

/** Appends one block to an existing cache file (never creates one); false when it cannot. */
function appendBlock(file: string, records: readonly CacheRecord[]): boolean {
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND);
  } catch {
    return false; // gone since it was read: rewrite it
  }
  try {
    writeSync(fd, encodeBlock(records)); // one write: concurrent appends do not interleave
    fsyncSync(fd);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** A whole cache file of `records`. */
export function encodeHashCache(records: readonly CacheRecord[]): Buffer {
  return Buffer.concat([MAGIC, encodeBlock(records)]);
}

function encodeBlock(records: readonly CacheRecord[]): Buffer {
  const lengths = records.map((r) => Buffer.byteLength(r.path, "utf8"));
  let length = 4 + 4;
  let count = 0;
  for (const n of lengths) {
    if (n > MAX_PATH_BYTES) continue;
    length += FIXED + n;
    count += 1;
  }
  const out = Buffer.allocUnsafe(length);
  let at = out.writeUInt32LE(count, 0);
  for (let i = 0; i < records.length; i += 1) {
    const record = records[i]!;
    const n = lengths[i]!;
    if (n > MAX_PATH_BYTES) continue; // never written, so simply not cached
    at = out.writeUInt16LE(n, at);
    at += out.write(record.path, at, n, "utf8");
    at = out.writeBigUInt64LE(BigInt(record.size), at);
    at = out.writeBigUInt64LE(record.mtimeNs, at);
    at = out.writeBigUInt64LE(record.ino, at);
    const written = out.write(record.sha256, at, 32, "hex");
    if (written !== 32) throw new Error(`not a sha256: ${record.sha256}`); // never: digest("hex") gives 64 hex digits
    at += written;
  }
  out.writeUInt32LE(crc32(out.subarray(0, at)), at);
  return out;
}

/**
 * The records of a cache file, in file order (a later one replaces an earlier one for its path);
 * `whole` is false when reading stopped at a block that failed its checksum. Null when the file
 * is not a cache at all.
 */
export function decodeHashCache(data: Buffer): { records: CacheRecord[]; whole: boolean } | null {
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const records: CacheRecord[] = [];
  let at = MAGIC.length;
  while (at < data.length) {
    const end = blockEnd(data, at);
    if (end === null) return { records, whole: false };
    const count = data.readUInt32LE(at);
    at += 4;
    for (let i = 0; i < count; i += 1) {
      const pathEnd = at + 2 + data.readUInt16LE(at);
      const size = data.readBigUInt64LE(pathEnd);
      if (size <= BigInt(Number.MAX_SAFE_INTEGER)) {
        records.push({
          path: data.toString("utf8", at + 2, pathEnd),
          size: Number(size),
          mtimeNs: data.readBigUInt64LE(pathEnd + 8),
          ino: data.readBigUInt64LE(pathEnd + 16),
          sha256: data.toString("hex", pathEnd + 24, pathEnd + 56),
        });
      }
      at = pathEnd + 56;
    }
    at = end + 4;
  }
  return { records, whole: true };
}

/** Where the block at `start` ends (its CRC's offset), or null when it is truncated or fails its CRC. */
function blockEnd(data: Buffer, start: number): number | null {
  if (start + 8 > data.length) return null;
  const count = data.readUInt32LE(start);
  let at = start + 4;
  for (let i = 0; i < count; i += 1) {
    if (at + 2 > data.length) return null;
    at += FIXED + data.readUInt16LE(at);
    if (at > data.length) return null;
  }
  if (at + 4 > data.length) return null;
  return crc32(data.subarray(start, at)) === data.readUInt32LE(at) ? at : null;
}
