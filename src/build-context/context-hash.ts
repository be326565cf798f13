// `meshdeploy.context-hash`: sha256 over a canonical description of the packed context — for each
// entry in pack order its path, type, permission bits, link target and the sha256 of its content.
// Mtimes, owners and inodes are left out, so the same files give the same hash whatever their
// timestamps. A HashCache (passed in, never global) keyed on absolute path + size + mtime + inode
// lets a re-hash after a one-file edit read only that file.
// Must not: walk directories, apply ignore rules, or read anything but the walked files.
import { createHash } from "node:crypto";
import { closeSync } from "node:fs";
import { compareCodePoints, type ContextEntry } from "./context-files.js";
import { openWalkedFile, readExactly } from "./context-read.js";
import { loopPauser } from "./event-loop.js";

const FORMAT = "meshdeploy.context-hash/v1\n";
const READ_SIZE = 1024 * 1024;

export interface ContextHash {
  /** Hex sha256 of the canonical description. */
  hash: string;
  /** Content sha256 (hex) of every regular file and hard link, by relative path. */
  files: Map<string, string>;
}

interface Cached {
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  sha256: string;
}

/**
 * A file modified this recently when it was hashed is not cached ("racily clean", as git calls
 * it): a same-size write within the file system's timestamp granularity (2 s on FAT, 1 s on some
 * network file systems) would otherwise keep the stale hash. Such a file is simply hashed again.
 */
export const RACY_WINDOW_NS = 2_000_000_000n;

/** One cached file: what a hit must match, and its content sha256 (hex). */
export interface CacheRecord {
  path: string;
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  sha256: string;
}

/**
 * Records read from a cache file (hash-cache-file.ts), looked up in place: no Map or object per
 * record is made for a 20k-file context. `find` answers a record index whose path and full stat
 * key match, or -1. Any record with a matching stat key is a right answer (every record was
 * written for the content at that stat), so which of two records of one path answers is moot.
 */
export interface CacheBase {
  find(absPath: string, file: { size: number; mtimeNs: bigint; ino: bigint }): number;
  sha256(index: number): string;
  record(index: number): CacheRecord;
  /** Distinct paths. */
  readonly size: number;
}

type Stat = { size: number; mtimeNs: bigint; ino: bigint };

/**
 * File content hashes from earlier runs, keyed on absolute path + size + mtime + inode (a hit
 * needs all four to match). Owned by the caller: keep one per watch session. Holds one record
 * per path, so it does not grow with edits.
 * `plan`/`apply` make one over the records persisted by the last run (hash-cache-file.ts).
 */
export class HashCache {
  readonly #base: CacheBase | null;
  readonly #byPath = new Map<string, Cached>();
  /** Paths looked up or stored since the cache was made and not answered by the base. */
  readonly #used = new Set<string>();
  /** What was used, in lookup order (= walk order, so a rewritten file reads in step next time): a path, or a base record index. */
  readonly #order: (string | number)[] = [];
  /** Paths stored since the cache was made (not restored): what an append must add. */
  readonly #fresh = new Set<string>();

  constructor(base: CacheBase | null = null) {
    this.#base = base;
  }

  get(absPath: string, file: Stat): string | undefined {
    // The base first: in step with the walk it costs no string hashing, and any record whose stat
    // key matches is a right answer, so which of the base's and this run's answers is moot.
    if (this.#base !== null) {
      const index = this.#base.find(absPath, file);
      if (index >= 0) {
        this.#order.push(index);
        return this.#base.sha256(index);
      }
    }
    const own = this.#byPath.size === 0 ? undefined : this.#byPath.get(absPath);
    this.#use(absPath);
    return own !== undefined && own.size === file.size && own.mtimeNs === file.mtimeNs && own.ino === file.ino ? own.sha256 : undefined;
  }

  set(absPath: string, file: Stat, sha256: string): void {
    this.#use(absPath);
    this.#byPath.set(absPath, { size: file.size, mtimeNs: file.mtimeNs, ino: file.ino, sha256 });
    this.#fresh.add(absPath);
  }

  #use(absPath: string): void {
    if (this.#used.has(absPath)) return;
    this.#used.add(absPath);
    this.#order.push(absPath);
  }

  /** True when a hash was stored since the cache was made (or loaded). */
  get changed(): boolean {
    return this.#fresh.size > 0;
  }

  /** How many lookups and stores of distinct paths were made since the cache was made (about: the base's hits are not deduplicated). */
  get usedCount(): number {
    return this.#order.length;
  }

  /** The records of the paths used since the cache was made, in the order they were first used. */
  usedRecords(): CacheRecord[] {
    const records: CacheRecord[] = [];
    const seen = new Set<string>();
    for (const used of this.#order) {
      const record = typeof used === "number" ? this.#base!.record(used) : this.#own(used);
      if (record === null || seen.has(record.path)) continue;
      if (typeof used === "number" && this.#byPath.has(record.path)) continue; // stored again since: that one is kept
      seen.add(record.path);
      records.push(record);
    }
    return records;
  }

  /** The records stored since the cache was made (not the restored ones). */
  freshRecords(): CacheRecord[] {
    return [...this.#fresh].flatMap((p) => this.#own(p) ?? []);
  }

  #own(absPath: string): CacheRecord | null {
    const hit = this.#byPath.get(absPath);
    return hit === undefined ? null : { path: absPath, ...hit };
  }

  get size(): number {
    return this.#byPath.size + (this.#base?.size ?? 0);
  }
}

export interface HashOptions {
  cache?: HashCache;
}

/**
 * Hash the walked entries of `root` (the walk's resolved root). Files are read one at a time with
 * synchronous calls into one reused buffer, handing the event loop a turn every few milliseconds:
 * on a 2-core machine this is 3-4x faster than 8 concurrent async reads (bench/context-hash.ts).
 */
export async function hashContext(root: string, entries: readonly ContextEntry[], options: HashOptions = {}): Promise<ContextHash> {
  const cache = options.cache ?? new HashCache();
  const prefix = root.endsWith("/") ? root : `${root}/`;
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  const pause = loopPauser();
  const digest = createHash("sha256").update(FORMAT);
  const files = new Map<string, string>();
  let lines = "";
  for (const entry of entries) {
    let sha: string | null = null;
    if (entry.type === "file") {
      const abs = prefix + entry.path;
      sha = cache.get(abs, entry) ?? null;
      if (sha === null) {
        sha = hashFile(root, entry, buffer);
        if (entry.mtimeNs < BigInt(Date.now()) * 1_000_000n - RACY_WINDOW_NS) cache.set(abs, entry, sha);
        const turn = pause();
        if (turn) await turn;
      }
      files.set(entry.path, sha);
    } else if (entry.type === "hardlink") {
      const target = files.get(entry.linkTarget ?? "");
      if (target !== undefined) files.set(entry.path, target);
    }
    // One line per entry: JSON-quoted path, type, octal mode, JSON-quoted link or "-", sha or "-".
    const link = entry.type === "symlink" || entry.type === "hardlink" ? jsonQuote(entry.linkTarget ?? "") : "-";
    lines += `${jsonQuote(entry.path)} ${entry.type} ${entry.mode.toString(8)} ${link} ${sha ?? "-"}\n`;
    if (lines.length > 65536) {
      digest.update(lines);
      lines = "";
    }
  }
  digest.update(lines);
  return { hash: digest.digest("hex"), files };
}

/** What JSON.stringify escapes in a string: `"`, `\\`, control characters and lone surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(text), without its cost for the usual path that needs no escape. */
function jsonQuote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function hashFile(root: string, entry: ContextEntry, buffer: Buffer): string {
  const fd = openWalkedFile(root, entry);
  try {
    const hash = createHash("sha256");
    for (let position = 0; position < entry.size; position += buffer.length) {
      const n = Math.min(buffer.length, entry.size - position);
      readExactly(fd, buffer, 0, n, position, root, entry); // never cache a hash of partial content
      hash.update(n === buffer.length ? buffer : buffer.subarray(0, n));
    }
    return hash.digest("hex");
  } finally {
    closeSync(fd);
  }
}

/** Paths whose content differs between two hashes (added, removed or edited), in byte order. */
export function changedFiles(before: ContextHash | ReadonlyMap<string, string>, after: ContextHash | ReadonlyMap<string, string>): string[] {
  const a = before instanceof Map ? before : (before as ContextHash).files;
  const b = after instanceof Map ? after : (after as ContextHash).files;
  const changed = new Set<string>();
  for (const [p, sha] of a) if (b.get(p) !== sha) changed.add(p);
  for (const p of b.keys()) if (!a.has(p)) changed.add(p);
  return [...changed].sort(compareCodePoints); // code point order is UTF-8 byte order, without a Buffer per comparison
}
