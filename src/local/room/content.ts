// Content: the JSON header `type` plus payload that responses, tool arguments and stream chunks
// carry (room-protocol.md §6). Builders for what the server sends, and a reader that classifies
// what the client sent. The client throws on any type it does not know, so only the builders
// below are ever sent.
import { ToolError } from "./tool-error.js";

export interface Content {
  header: Record<string, unknown>;
  payload: Buffer;
}

const EMPTY = Buffer.alloc(0);

export function jsonContent(json: unknown): Content {
  return { header: { type: "json", json }, payload: EMPTY };
}

export function emptyContent(): Content {
  return { header: { type: "empty" }, payload: EMPTY };
}

export function errorContent(error: ToolError): Content {
  return { header: { type: "error", text: error.message, code: error.code }, payload: EMPTY };
}

export function controlContent(method: "open" | "close"): Content {
  return { header: method === "close" ? { type: "control", method, status_code: 1000 } : { type: "control", method }, payload: EMPTY };
}

export function binaryContent(headers: Record<string, unknown>, data: Uint8Array): Content {
  return { header: { type: "binary", headers }, payload: Buffer.from(data.buffer, data.byteOffset, data.byteLength) };
}

/** What a client sent, classified. Anything the room does not expect is `other`. */
export type ReceivedContent =
  | { type: "json"; json: unknown }
  | { type: "empty" }
  | { type: "control"; method: string }
  | { type: "binary"; headers: Record<string, unknown>; data: Buffer }
  | { type: "other"; name: string };

export function readContent(header: unknown, payload: Buffer): ReceivedContent {
  if (typeof header !== "object" || header === null || Array.isArray(header)) return { type: "other", name: "not an object" };
  const fields = header as Record<string, unknown>;
  switch (fields.type) {
    case "json":
      return { type: "json", json: fields.json };
    case "empty":
      return { type: "empty" };
    case "control":
      return { type: "control", method: typeof fields.method === "string" ? fields.method : "" };
    case "binary": {
      const headers = fields.headers;
      const isObject = typeof headers === "object" && headers !== null && !Array.isArray(headers);
      return { type: "binary", headers: isObject ? (headers as Record<string, unknown>) : {}, data: payload };
    }
    default:
      return { type: "other", name: typeof fields.type === "string" ? fields.type : String(fields.type) };
  }
}
