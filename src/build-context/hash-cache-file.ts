// The file-hash cache across runs: `.meshdeploy/hash-cache.bin` holds, for each file hashed by
// earlier runs, its absolute path, size, mtime (ns) and inode with its sha256 — the HashCache's
// own key, so a hit still needs all four to match. Only files hashed outside the racy window are
// ever cached (context-hash.ts RACY_WINDOW_NS, git's racy-clean rule), so a same-size edit within
// the file system's timestamp granularity is never mistaken for the old content. A cache that
// cannot be read or has another format is ignored (everything is hashed again). Written only
// when the run stored a new hash, private (0600), best effort.
//
// Binary, because a 20k-file context's JSON cache (2.8 MB, a regex check and two BigInt parses
// per record) cost a plan 60-70 ms to read and write. Layout: the magic line, then blocks,
// each a u32 record count, the records and a u32 CRC-32 of the count and records; a record is a
// u16 path length, the UTF-8 path, u64 size, u64 mtime ns, u64 inode and the 32-byte sha256
// (integers little-endian). A path may have several records (an append after an edit); any whose
// stat key matches is a right answer, and a rewrite keeps only the one used. A run that hashed
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
import { HashCache, type CacheBase, type CacheRecord } from "./context-hash.js";

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
  let data: Buffer;
  try {
    data = readFileSync(path.join(stateDir, HASH_CACHE_FILE));
  } catch {
    return new HashCache(); // absent or unreadable: hash everything again
  }
  const scanned = scanHashCache(data);
  if (scanned === null) return new HashCache();
  const cache = new HashCache(new PersistedRecords(data, scanned.offsets, scanned.firstBlock));
  loadedFrom.set(cache, { records: scanned.offsets.length, whole: scanned.whole });
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
  const scanned = scanHashCache(data);
  if (scanned === null) return null;
  const records = new PersistedRecords(data, scanned.offsets, scanned.firstBlock);
  return { records: scanned.offsets.map((_, i) => records.record(i)), whole: scanned.whole };
}

interface Scanned {
  /** Where each record of the checked blocks starts (its u16 path length). */
  offsets: number[];
  /** How many of them the first block holds (written in walk order by a rewrite). */
  firstBlock: number;
  whole: boolean;
}

function scanHashCache(data: Buffer): Scanned | null {
  if (data.length < MAGIC.length || !data.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const offsets: number[] = [];
  let firstBlock = -1;
  let at = MAGIC.length;
  while (at < data.length) {
    const end = blockEnd(data, at, offsets);
    if (end === null) return { offsets, firstBlock: Math.max(firstBlock, 0), whole: false };
    if (firstBlock < 0) firstBlock = offsets.length;
    at = end + 4;
  }
  return { offsets, firstBlock: Math.max(firstBlock, 0), whole: true };
}

/**
 * Where the block at `start` ends (its CRC's offset), appending its records' offsets to
 * `offsets`; null (and `offsets` as it was) when it is truncated or fails its CRC.
 */
function blockEnd(data: Buffer, start: number, offsets: number[]): number | null {
  if (start + 8 > data.length) return null;
  const count = data.readUInt32LE(start);
  const before = offsets.length;
  let at = start + 4;
  for (let i = 0; i < count; i += 1) {
    if (at + 2 > data.length) break;
    offsets.push(at);
    at += FIXED + data.readUInt16LE(at);
  }
  if (offsets.length - before === count && at + 4 <= data.length && crc32(data.subarray(start, at)) === data.readUInt32LE(at)) return at;
  offsets.length = before;
  return null;
}

/**
 * A cache file's records, read in place. A run walks the context in the order the last rewrite
 * stored it, so a cursor over the first block usually finds the next path at once, compared byte
 * for byte with no string made; appended blocks (a few records each) are indexed when loaded, and
 * everything else falls back to an index built on the first miss.
 */
class PersistedRecords implements CacheBase {
  readonly #data: Buffer;
  readonly #offsets: number[];
  readonly #firstBlock: number;
  #cursor = 0;
  /** Path → its last record, in the blocks after the first. */
  readonly #appended = new Map<string, number>();
  /** Path → its last record, all blocks; built on the first lookup the cursor cannot answer. */
  #index: Map<string, number> | null = null;

  constructor(data: Buffer, offsets: number[], firstBlock: number) {
    this.#data = data;
    this.#offsets = offsets;
    this.#firstBlock = firstBlock;
    for (let i = firstBlock; i < offsets.length; i += 1) this.#appended.set(this.#path(i), i);
  }

  find(absPath: string, file: { size: number; mtimeNs: bigint; ino: bigint }): number {
    const at = this.#cursor;
    const inStep = at < this.#firstBlock && this.#isPath(at, absPath);
    if (inStep) {
      this.#cursor = at + 1;
      if (this.#matches(at, file)) return at; // a matching record is a right answer: no lookup of later ones
    }
    if (this.#appended.size > 0) {
      const appended = this.#appended.get(absPath);
      if (appended !== undefined && this.#matches(appended, file)) return appended;
    }
    if (inStep) return -1;
    this.#index ??= this.#buildIndex();
    const found = this.#index.get(absPath);
    if (found === undefined) return -1;
    if (found < this.#firstBlock) this.#cursor = found + 1;
    return this.#matches(found, file) ? found : -1;
  }

  sha256(index: number): string {
    const fixed = this.#fixedAt(index);
    return this.#data.toString("hex", fixed + 24, fixed + 56);
  }

  record(index: number): CacheRecord {
    const fixed = this.#fixedAt(index);
    return {
      path: this.#path(index),
      size: Number(this.#data.readBigUInt64LE(fixed)),
      mtimeNs: this.#data.readBigUInt64LE(fixed + 8),
      ino: this.#data.readBigUInt64LE(fixed + 16),
      sha256: this.sha256(index),
    };
  }

  get size(): number {
    this.#index ??= this.#buildIndex();
    return this.#index.size;
  }

  #buildIndex(): Map<string, number> {
    const index = new Map<string, number>();
    for (let i = 0; i < this.#offsets.length; i += 1) index.set(this.#path(i), i);
    return index;
  }

  /** Where the record's size field starts (after its path). */
  #fixedAt(index: number): number {
    const at = this.#offsets[index]!;
    return at + 2 + this.#data.readUInt16LE(at);
  }

  #path(index: number): string {
    const at = this.#offsets[index]!;
    return this.#data.toString("utf8", at + 2, at + 2 + this.#data.readUInt16LE(at));
  }

  /** The record's path is `text`: its bytes compared with the string's code units while they are ASCII. */
  #isPath(index: number, text: string): boolean {
    const at = this.#offsets[index]!;
    const length = this.#data.readUInt16LE(at);
    if (text.length > length) return false; // UTF-8 never takes fewer bytes than UTF-16 units
    const data = this.#data;
    const start = at + 2;
    for (let i = 0; i < text.length; i += 1) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return data.toString("utf8", start, start + length) === text;
      if (data[start + i] !== unit) return false;
    }
    return text.length === length;
  }

  #matches(index: number, file: { size: number; mtimeNs: bigint; ino: bigint }): boolean {
    const fixed = this.#fixedAt(index);
    const data = this.#data;
    const size = data.readUInt32LE(fixed) + data.readUInt32LE(fixed + 4) * 0x1_0000_0000;
    return size === file.size && data.readBigUInt64LE(fixed + 8) === file.mtimeNs && data.readBigUInt64LE(fixed + 16) === file.ino;
  }
}
