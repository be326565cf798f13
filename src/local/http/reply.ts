// Writing JSON responses. Every error, whatever its status, uses the one body shape MeshAgent
// clients are known to parse: {"error":{"message":"…"}}.
import type { ServerResponse } from "node:http";

/** A body that is already JSON text (e.g. a list joined from stored per-record JSON): sent as is. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = body instanceof RawJson ? body.text : JSON.stringify(body ?? {});
  response.writeHead(status, {
    ...headers,
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-store",
  });
  response.end(text);
}

export function errorBody(message: string): { error: { message: string } } {
  return { error: { message } };
}
