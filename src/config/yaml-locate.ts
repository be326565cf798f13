// Maps a JSON path (["services", 2, "env", "APP_ENV"]) back to the YAML node it came from, so every
// diagnostic can name file:line:col. Follows aliases to their anchors. Pure: reads the parsed
// document only and never changes it; a path that does not exist resolves to its deepest existing
// ancestor rather than failing.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from "yaml";
import type { SourceLocation } from "../diagnostic.js";

export type JsonPath = readonly (string | number)[];
/** "key" points at a mapping key (unknown key, duplicate), "value" at what the key holds. */
export type PathPart = "key" | "value";

export interface YamlPosition {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  file: string;
}

export function offsetLocation(at: YamlPosition, offset: number): SourceLocation {
  const { line, col } = at.lineCounter.linePos(offset);
  return { file: at.file, line, column: col };
}

/** The node a path names (aliases resolved), or null when the path leaves the document. */
export function nodeAt(at: YamlPosition, path: JsonPath): Node | null {
  return walk(at, path).node;
}

/** Where `path` is written: its key or its value (a value that is absent points at its key). */
export function locatePath(at: YamlPosition, path: JsonPath, part: PathPart = "value"): SourceLocation {
  const found = walk(at, path);
  const offset = part === "key" && found.complete ? (found.keyOffset ?? found.valueOffset) : found.valueOffset;
  return offsetLocation(at, offset);
}

interface Walked {
  node: Node | null;
  /** true when every segment was found. */
  complete: boolean;
  keyOffset: number | null;
  valueOffset: number;
}

function walk(at: YamlPosition, path: JsonPath): Walked {
  let node = deref(at.doc, at.doc.contents);
  let valueOffset = node?.range?.[0] ?? 0;
  let keyOffset: number | null = null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) return { node: null, complete: false, keyOffset: null, valueOffset };
      const key = pair.key as Node;
      keyOffset = key.range?.[0] ?? valueOffset;
      const value = pair.value as Node | null;
      node = deref(at.doc, value);
      valueOffset = isWritten(value) ? (value?.range?.[0] ?? keyOffset) : keyOffset;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (item === undefined) return { node: null, complete: false, keyOffset: null, valueOffset };
      keyOffset = null;
      node = deref(at.doc, item);
      valueOffset = item.range?.[0] ?? valueOffset;
    } else {
      return { node: null, complete: false, keyOffset: null, valueOffset };
    }
  }
  return { node, complete: true, keyOffset, valueOffset };
}

/** `key:` with nothing after it holds an empty null scalar; point at the key instead. */
function isWritten(value: Node | null): boolean {
  if (value === null || value.range === undefined || value.range === null) return false;
  return value.range[1] > value.range[0];
}

function deref(doc: Document.Parsed, node: unknown): Node | null {
  if (isAlias(node)) return (node.resolve(doc) as Node | undefined) ?? null;
  return (node as Node | null) ?? null;
}
