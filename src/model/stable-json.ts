// Canonical JSON (sorted keys, no whitespace) and sha256, the only hashing primitives meshdeploy uses.
// The spec-hash recorded on every live service is sha256 of this text, so it must never change:
// stableStringify is exactly `JSON.stringify(sortKeys(value))` (kept below as the reference the
// tests compare it with), written in one pass because a plan of thousands of services hashes each
// side (no intermediate sorted copy of every object).
import { createHash } from "node:crypto";

export function stableStringify(value: unknown): string {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return JSON.stringify(value);
  return write(value)!;
}

/** The canonical text of `value`, or undefined where JSON.stringify leaves a member out. */
function write(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      return JSON.stringify(value); // throws, as JSON.stringify does
  }
  if (value === null) return "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + (write(value[i]) ?? "null");
    return out + "]";
  }
  let out = "{";
  let first = true;
  for (const key of objectKeyOrder(Object.keys(value as object).sort())) {
    const text = write((value as Record<string, unknown>)[key]);
    if (text === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(key) + ":" + text;
    first = false;
  }
  return out + "}";
}

const ARRAY_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * The order the reference's freshly built object gives `sorted` keys: array-index keys first in
 * numeric order (JavaScript's own-property order), the rest as sorted; `__proto__` is not an own
 * property of an object built by assignment, so it is left out.
 */
function objectKeyOrder(sorted: string[]): string[] {
  let plain = true;
  for (const key of sorted) if (key === "__proto__" || ARRAY_INDEX.test(key)) plain = false;
  if (plain) return sorted;
  const isIndex = (key: string): boolean => ARRAY_INDEX.test(key) && Number(key) < 2 ** 32 - 1;
  const indices = sorted.filter(isIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...sorted.filter((key) => !isIndex(key) && key !== "__proto__")];
}

/** The definition stableStringify keeps to (exported for its tests only). */
export function referenceStableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}
