// Input checks shared by the local room's REST bodies (http/body.ts) and the room websocket's
// envelopes (room/envelope.ts) (audit L8): nothing a client sends is silently altered — bytes that
// are not UTF-8 are refused (never replaced by U+FFFD), and so are `__proto__` keys (JSON.parse
// keeps them, object spreads drop them), lone surrogates and nesting a recursive reader would
// overflow on. Pure.

/** `bytes` as text, or null when they are not valid UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** Deeper than any body this API takes (a service spec nests about 8 levels). */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Walks a parsed JSON value without recursion for what a handler would silently alter: a
 * `__proto__` key, a lone surrogate, nesting past MAX_JSON_DEPTH. The problem in words ("has …",
 * "nests …"), or null.
 */
export function jsonInputProblem(root: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: "", depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) return `has a lone UTF-16 surrogate in the string at ${path || "the top level"}`;
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) return `nests deeper than ${MAX_JSON_DEPTH} levels (at ${path})`;
    if (Array.isArray(value)) {
      value.forEach((element, index) => stack.push({ value: element, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (key === "__proto__") return `has the key "__proto__" (at ${at}): not allowed`;
      if (LONE_SURROGATE.test(key)) return `has a lone UTF-16 surrogate in a key (at ${path || "the top level"})`;
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
  return null;
}
