// Reading a request body as JSON, with the size limit (413) and clear 400s for empty or
// malformed input — and for input a handler would silently alter (audit L8): bytes that are not
// UTF-8 (not replaced by U+FFFD), lone surrogates, a `__proto__` key anywhere (not dropped), and
// nesting past MAX_JSON_DEPTH (a 400, not a stack overflow's 500 in a recursive reader later);
// the checks live in ../json-input.ts, shared with the room websocket's envelopes.
import type { IncomingMessage } from "node:http";
import { badRequest, RequestError } from "../errors.js";
import { jsonInputProblem, strictUtf8 } from "../json-input.js";

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
  const text = strictUtf8(body);
  if (text === null) throw badRequest("request body is not valid UTF-8");
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
  const problem = jsonInputProblem(value);
  if (problem !== null) throw badRequest(`request body ${problem}`);
  return value as Record<string, unknown>;
}

