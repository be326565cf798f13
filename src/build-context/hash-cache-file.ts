// The file-hash cache across runs: `.meshdeploy/hash-cache.bin` holds, for each file hashed by
// the last run, its absolute path, size, mtime (ns) and inode with its sha256 — the HashCache's
// own key, so a hit still needs all four to match. Only files hashed outside the racy window are
// ever cached (context-hash.ts RACY_WINDOW_NS, git's racy-clean rule), so a same-size edit within
// the file system's timestamp granularity is never mistaken for the old content. A cache that
// cannot be read, has another format or fails its checksum is ignored (everything is hashed
// again); it is written only when the run stored a new hash, crash-safely, private (0600), with
// only the paths this run used.
//
// Binary, because a 20k-file context's JSON cache (2.8 MB, a regex check and two BigInt parses
// per record) cost a plan more than the walk's own work: the magic line, a u32 record count, then
// per record a u16 path length, the UTF-8 path, u64 size, u64 mtime ns, u64 inode and the 32-byte
// sha256; last a u32 CRC-32 of everything before it. Integers are little-endian.
import { readFileSync, rmSync } from "node:fs";
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

/** The cache persisted in `stateDir`, or an empty one. Never throws. */
export function loadHashCache(stateDir: string): HashCache {
  const cache = new HashCache();
  let data: Buffer;
  try {
    data = readFileSync(path.join(stateDir, HASH_CACHE_FILE));
  } catch {
    return cache; // absent or unreadable: hash everything again
  }
  const records = decodeHashCache(data);
  if (records !== null) for (const record of records) cache.restore(record);
  return cache;
}

/** Persists what this run used, when it hashed anything new. A failure only costs the next run a re-hash. */
export async function saveHashCache(stateDir: string, cache: HashCache): Promise<void> {
  if (!cache.changed) return;
  try {
    ignoreStateDir(stateDir);
    await writeFileAtomic(path.join(stateDir, HASH_CACHE_FILE), encodeHashCache(cache.usedRecords()), 0o600);
    rmSync(path.join(stateDir, OLD_CACHE_FILE), { force: true });
  } catch {
    // best effort: a cache
  }
}

export function encodeHashCache(records: readonly CacheRecord[]): Buffer {
  const lengths = records.map((r) => Buffer.byteLength(r.path, "utf8"));
  let length = MAGIC.length + 4 + 4;
  let count = 0;
  for (const n of lengths) {
    if (n > MAX_PATH_BYTES) continue;
    length += FIXED + n;
    count += 1;
  }
  const out = Buffer.allocUnsafe(length);
  let at = MAGIC.copy(out, 0);
  at = out.writeUInt32LE(count, at);
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

/** The records of a cache file; null when it is not one (other format, truncated, checksum mismatch). */
export function decodeHashCache(data: Buffer): CacheRecord[] | null {
  if (data.length < MAGIC.length + 8 || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const end = data.length - 4;
  if (crc32(data.subarray(0, end)) !== data.readUInt32LE(end)) return null;
  const count = data.readUInt32LE(MAGIC.length);
  const records: CacheRecord[] = [];
  let at = MAGIC.length + 4;
  for (let i = 0; i < count; i += 1) {
    if (at + 2 > end) return null;
    const pathEnd = at + 2 + data.readUInt16LE(at);
    if (pathEnd + FIXED - 2 > end) return null;
    const size = data.readBigUInt64LE(pathEnd);
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    records.push({
      path: data.toString("utf8", at + 2, pathEnd),
      size: Number(size),
      mtimeNs: data.readBigUInt64LE(pathEnd + 8),
      ino: data.readBigUInt64LE(pathEnd + 16),
      sha256: data.toString("hex", pathEnd + 24, pathEnd + 56),
    });
    at = pathEnd + 56;
  }
  return at === end ? records : null;
}
