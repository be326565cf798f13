// One run's packed build contexts, by context directory + Dockerfile + excluded directories: the
// offline check and the read phase of one `plan` or `apply` walk and hash a context once (a 20k-file
// context costs a walk of 20k lstat calls each time), and services that share a context share
// its pack. Made per run, never kept by a watch or sync session: a later run must see later edits.
import path from "node:path";
import type { HashCache } from "../build-context/context-hash.js";
import { packContext, type PackedContext } from "../build-context/pack.js";

export interface PackRequest {
  dockerfile: string | null;
  cache: HashCache;
  exclude: readonly string[];
}

export class ContextPacks {
  readonly #byKey = new Map<string, Promise<PackedContext>>();

  /** The context packed once per run; a failure is the same failure for every caller. */
  pack(dir: string, request: PackRequest): Promise<PackedContext> {
    const key = JSON.stringify([path.resolve(dir), request.dockerfile, request.exclude.map((d) => path.resolve(d))]);
    let packed = this.#byKey.get(key);
    if (packed === undefined) {
      packed = packContext(dir, { cache: request.cache, exclude: request.exclude, ...(request.dockerfile === null ? {} : { dockerfile: request.dockerfile }) });
      packed.catch(() => {}); // awaited by each caller; never an unhandled rejection
      this.#byKey.set(key, packed);
    }
    return packed;
  }
}
