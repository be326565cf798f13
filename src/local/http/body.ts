// Reading a request body as JSON, with the size limit (413) and clear 400s for empty or
// malformed input — and for input a handler would silently alter (audit L8): bytes that are not
// UTF-8 (not replaced by U+FFFD), lone surrogates, a `__proto__` key anywhere (not dropped), and
// nesting past MAX_JSON_DEPTH (a 400, not a stack overflow's 500 in a recursive reader later).
import type { IncomingMessage } from "node:http";
import { badRequest, RequestError } from "../errors.js";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

function tooLarge(): RequestError {
  return new RequestError(413, `request body is larger than ${MAX_BODY_BYTES} bytes (10 MiB)`, { Connection: "close" });
}

/**
 * Reads the whole body; rejects with 413 as soon as it is known to exceed the limit. The rest of
 * an oversized body is discarded, not read into memory, and the socket is left alone so the 413
 * still reaches the client (the response says Connection: close).
 */
export function readBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.off("end", onEnd);
      request.resume();
      reject(tooLarge());
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks, size));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", reject);
  });
}

/** Parses a body that must be a JSON object (every body this API accepts is one). */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw badRequest("request body is not valid UTF-8");
  }
  if (text.trim() === "") throw badRequest("request body is empty: expected a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw badRequest(`request body must be a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`);
  }
  checkJsonValue(value);
  return value as Record<string, unknown>;
}

/** Deeper than any body this API takes (a service spec nests about 8 levels). */
export const MAX_JSON_DEPTH = 64;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Walks the parsed value without recursion, refusing what a handler would silently alter. */
function checkJsonValue(root: unknown): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: "", depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path, depth } = item;
    if (typeof value === "string") {
      if (LONE_SURROGATE.test(value)) throw badRequest(`request body has a lone UTF-16 surrogate in the string at ${path || "the top level"}`);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) throw badRequest(`request body nests deeper than ${MAX_JSON_DEPTH} levels (at ${path})`);
    if (Array.isArray(value)) {
      value.forEach((element, index) => stack.push({ value: element, path: `${path}[${index}]`, depth: depth + 1 }));
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path === "" ? key : `${path}.${key}`;
      if (key === "__proto__") throw badRequest(`request body has the key "__proto__" (at ${at}): not allowed`);
      if (LONE_SURROGATE.test(key)) throw badRequest(`request body has a lone UTF-16 surrogate in a key (at ${path || "the top level"})`);
      stack.push({ value: (value as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
}
