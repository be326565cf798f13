// The one keyed comparison behind every diff: two lists → added / removed / mutual by key.
// Order follows `desired` for added and mutual, `live` for removed. Pure.

export interface KeyedComparison<D, L> {
  added: D[];
  removed: L[];
  mutual: [D, L][];
}

export function compareKeyed<D, L>(desired: readonly D[], live: readonly L[], keyOfDesired: (d: D) => string, keyOfLive: (l: L) => string): KeyedComparison<D, L> {
  const liveByKey = new Map<string, L>();
  for (const l of live) if (!liveByKey.has(keyOfLive(l))) liveByKey.set(keyOfLive(l), l);
  const desiredKeys = new Set(desired.map(keyOfDesired));
  const result: KeyedComparison<D, L> = { added: [], removed: [], mutual: [] };
  for (const d of desired) {
    const l = liveByKey.get(keyOfDesired(d));
    if (l === undefined) result.added.push(d);
    else result.mutual.push([d, l]);
  }
  for (const l of live) if (!desiredKeys.has(keyOfLive(l))) result.removed.push(l);
  return result;
}
