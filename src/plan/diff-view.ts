// Field-level changes between two flattened views (model/managed-view.ts). Pure.
import type { ManagedView } from "../model/managed-view.js";
import type { Change } from "./types.js";

export function diffViews(before: ManagedView, after: ManagedView): Change[] {
  const changes: Change[] = [];
  for (const [path, value] of after) {
    const old = before.get(path);
    if (old !== value) changes.push({ path, before: old ?? null, after: value });
  }
  for (const [path, value] of before) if (!after.has(path)) changes.push({ path, before: value, after: null });
  return changes;
}

/** Every leaf of `view` as an addition (for creates). */
export function additions(view: ManagedView): Change[] {
  return [...view].map(([path, value]) => ({ path, before: null, after: value }));
}
