// What meshdeploy last built for each service (context hash + per-file content hashes), kept in
// `.meshdeploy/contexts.json` beside the config so a plan can name the files that changed since.
// Only a convenience for messages: a missing or unreadable file just means "context changed"
// without names. Never holds file contents. Builds finish concurrently: writes are chained, one
// at a time, and a failed write never fails the deploy that triggered it.
//
// Each manifest is stored as `{hash, paths, shas}`: the paths in pack order and their sha256s
// (hex) run together in one string. JSON.parse of a 20k-key object cost a plan 25-40 ms where
// this parses in 3 ms, and `changedSince` compares it with a new pack in order without a lookup
// per file. The `{hash, files: {path: sha}}` of earlier versions is still read.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { compareCodePoints } from "../build-context/context-files.js";
import { ignoreStateDir, STATE_DIR } from "../state-dir.js";

/** A build's record: its context hash and each file's content sha256, in pack order. */
export interface ContextManifest {
  hash: string;
  paths: string[];
  /** The sha256 (64 hex digits) of `paths[i]` at offset 64 * i. */
  shas: string;
}

type Manifests = Record<string, ContextManifest>;

const key = (room: string, name: string): string => `${room}/${name}`;

/** A build's record from the pack's files (content sha256 by path, in pack order). */
export function manifestOf(hash: string, files: ReadonlyMap<string, string>): ContextManifest {
  return { hash, paths: [...files.keys()], shas: [...files.values()].join("") };
}

/** How far ahead in the record a path is looked for before it counts as added. */
const LOOKAHEAD = 8;

/** The files whose content differs between a build's record and a pack (added, removed or edited), in byte order. */
export function changedSince(manifest: ContextManifest, files: ReadonlyMap<string, string>): string[] {
  // Both are in pack order: compare in step, with no lookup or string per file. A path not at the
  // record's cursor is looked for a few records ahead (those skipped are candidates for removal),
  // else it is a candidate addition; the few candidates are then settled against each other.
  const { paths, shas } = manifest;
  const changed: string[] = [];
  const skipped = new Map<string, number>();
  const unmatched: [string, string][] = [];
  let i = 0;
  for (const [p, sha] of files) {
    let ahead = i;
    while (ahead < paths.length && ahead - i <= LOOKAHEAD && paths[ahead] !== p) ahead += 1;
    if (ahead >= paths.length || paths[ahead] !== p) {
      unmatched.push([p, sha]);
      continue;
    }
    for (; i < ahead; i += 1) skipped.set(paths[i]!, i);
    if (!shas.startsWith(sha, 64 * i)) changed.push(p);
    i += 1;
  }
  for (; i < paths.length; i += 1) skipped.set(paths[i]!, i);
  for (const [p, sha] of unmatched) {
    const at = skipped.get(p);
    if (at === undefined || !shas.startsWith(sha, 64 * at)) changed.push(p);
    skipped.delete(p);
  }
  changed.push(...skipped.keys()); // in the record, not in the pack: removed
  return changed.sort(compareCodePoints); // as changedFiles: byte order, not pack order
}

export class ContextManifests {
  readonly #file: string;
  #data: Promise<Manifests> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(configDir: string) {
    this.#file = path.join(configDir, STATE_DIR, "contexts.json");
  }

  async get(room: string, name: string): Promise<ContextManifest | null> {
    return (await this.#load())[key(room, name)] ?? null;
  }

  /** Records a build; resolves once the file holds it (or the write failed, which is ignored). */
  async set(room: string, name: string, manifest: ContextManifest): Promise<void> {
    const data = await this.#load();
    data[key(room, name)] = manifest;
    this.#writing = this.#writing.then(() => this.#write(data));
    return this.#writing;
  }

  async #write(data: Manifests): Promise<void> {
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(this.#file), { recursive: true });
      ignoreStateDir(path.dirname(this.#file));
      await writeFile(tmp, JSON.stringify(data));
      await rename(tmp, this.#file);
    } catch {
      // Only messages depend on this file; the next build writes it again.
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Read once, shared: concurrent first calls must update one object, not one each. */
  #load(): Promise<Manifests> {
    this.#data ??= readFile(this.#file, "utf8")
      .then((text) => {
        const parsed: unknown = JSON.parse(text);
        const out: Manifests = {};
        if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return out;
        for (const [k, stored] of Object.entries(parsed)) {
          const manifest = fromStored(stored);
          if (manifest !== null) out[k] = manifest;
        }
        return out;
      })
      .catch(() => ({}));
    return this.#data;
  }
}

/** A stored manifest, this version's or an earlier one's; null when it is neither (that service's names are then unknown). */
function fromStored(stored: unknown): ContextManifest | null {
  if (stored === null || typeof stored !== "object") return null;
  const { hash, paths, shas, files } = stored as Record<string, unknown>;
  if (typeof hash !== "string") return null;
  if (Array.isArray(paths) && typeof shas === "string") {
    return shas.length === 64 * paths.length && paths.every((p) => typeof p === "string") ? { hash, paths: paths as string[], shas } : null;
  }
  if (files !== null && typeof files === "object" && !Array.isArray(files)) {
    const entries = Object.entries(files).filter((e): e is [string, string] => typeof e[1] === "string" && /^[0-9a-f]{64}$/.test(e[1]));
    return manifestOf(hash, new Map(entries));
  }
  return null;
}
