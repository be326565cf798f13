// The changed paths collected for one watch cycle, as immutable data: a list of chunks, newest
// first, so that adding the paths of one more file event costs O(paths added) however long the
// batch already is (a burst of 20k events stays linear). Duplicates are kept until read.
// Pure: no I/O, no clock.

export interface PathBatch {
  readonly chunk: readonly string[];
  readonly rest: PathBatch | null;
}

export function appendPaths(batch: PathBatch | null, paths: readonly string[]): PathBatch {
  return { chunk: paths, rest: batch };
}

/** The distinct paths, in the order they first arrived. */
export function batchPaths(batch: PathBatch | null): string[] {
  const chunks: (readonly string[])[] = [];
  for (let node = batch; node !== null; node = node.rest) chunks.push(node.chunk);
  const seen = new Set<string>();
  for (let i = chunks.length - 1; i >= 0; i -= 1) for (const p of chunks[i]!) seen.add(p);
  return [...seen];
}
