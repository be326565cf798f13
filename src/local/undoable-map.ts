// Map edits that can be undone: the store applies a change in memory, then rolls it back when the
// write that should make it durable fails (a full disk), so memory never holds what disk does not.
// Pure.

/** Sets `key`; the returned function undoes it (the previous value back, or the key gone). */
export function setKey<V>(map: Map<string, V>, key: string, value: V): () => void {
  const had = map.has(key);
  const previous = map.get(key);
  map.set(key, value);
  return had ? () => map.set(key, previous as V) : () => map.delete(key);
}

/** Deletes `key`; the returned function puts it back at its place in the insertion order. */
export function deleteKey<V>(map: Map<string, V>, key: string): () => void {
  if (!map.has(key)) return () => undefined;
  const previous = map.get(key) as V;
  const position = indexOf(map, key);
  map.delete(key);
  return () => {
    // Rare (a failed write): rebuild the order so the key is back where it was.
    const restored = insertAt(map, key, previous, position);
    map.clear();
    for (const [k, v] of restored) map.set(k, v);
  };
}

export function indexOf<V>(map: Map<string, V>, key: string): number {
  let index = 0;
  for (const k of map.keys()) {
    if (k === key) return index;
    index += 1;
  }
  return index;
}

export function insertAt<V>(map: Map<string, V>, key: string, value: V, position: number): Map<string, V> {
  const entries = [...map];
  entries.splice(position, 0, [key, value]);
  return new Map(entries);
}
