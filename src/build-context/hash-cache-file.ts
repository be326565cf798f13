// The file-hash cache across runs: `.meshdeploy/hash-cache.json` holds, for each file hashed by
// the last run, its absolute path, size, mtime (ns) and inode with its sha256 — the HashCache's
// own key, so a hit still needs all four to match. Only files hashed outside the racy window are
// ever cached (context-hash.ts RACY_WINDOW_NS, git's racy-clean rule), so a same-size edit within
// the file system's timestamp granularity is never mistaken for the old content. A cache that
// cannot be read or does not parse is ignored (everything is hashed again); it is written only
// when the run stored a new hash, crash-safely, private (0600), with only the paths this run used.
import { readFileSync } from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../local/atomic-write.js";
import { ignoreStateDir } from "../state-dir.js";
import { HashCache } from "./context-hash.js";

export const HASH_CACHE_FILE = "hash-cache.json";
const FORMAT = "meshdeploy-hash-cache/v1";

type CacheRecord = [string, number, string, string, string];

/** The cache persisted in `stateDir`, or an empty one. Never throws. */
export function loadHashCache(stateDir: string): HashCache {
  const cache = new HashCache();
  try {
    const data = JSON.parse(readFileSync(path.join(stateDir, HASH_CACHE_FILE), "utf8")) as { format?: unknown; files?: unknown };
    if (data.format === FORMAT && Array.isArray(data.files)) cache.restore(data.files.filter(isRecord));
  } catch {
    // absent or unreadable: hash everything again
  }
  return cache;
}

/** Persists what this run used, when it hashed anything new. A failure only costs the next run a re-hash. */
export async function saveHashCache(stateDir: string, cache: HashCache): Promise<void> {
  if (!cache.changed) return;
  try {
    ignoreStateDir(stateDir);
    await writeFileAtomic(path.join(stateDir, HASH_CACHE_FILE), JSON.stringify({ format: FORMAT, files: cache.usedRecords() }), 0o600);
  } catch {
    // best effort: a cache
  }
}

function isRecord(value: unknown): value is CacheRecord {
  return (
    Array.isArray(value) &&
    value.length === 5 &&
    typeof value[0] === "string" &&
    Number.isSafeInteger(value[1]) &&
    typeof value[2] === "string" &&
    /^\d+$/.test(value[2]) &&
    typeof value[3] === "string" &&
    /^\d+$/.test(value[3]) &&
    typeof value[4] === "string" &&
    /^[0-9a-f]{64}$/.test(value[4])
  );
}
