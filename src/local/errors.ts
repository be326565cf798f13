// Errors of the embedded local room. `RequestError` is what a resource handler throws to answer
// with a status and the `{"error":{"message":…}}` body; the dispatcher is the only place that turns
// it into a response. Messages name the thing that was wrong and never contain the bearer token.

import { join } from "node:path";
import { MeshdeployError } from "../errors.js";

export type RequestErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 421 | 429 | 500 | 502 | 503;

export class RequestError extends Error {
  readonly status: RequestErrorStatus;
  /** Extra response headers (e.g. `Allow` on 405, `WWW-Authenticate` on 401). */
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: RequestErrorStatus, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "RequestError";
    this.status = status;
    this.headers = headers;
  }
}

export function badRequest(message: string): RequestError {
  return new RequestError(400, message);
}

export function notFound(message: string): RequestError {
  return new RequestError(404, message);
}

export function conflict(message: string): RequestError {
  return new RequestError(409, message);
}

/**
 * The store could not make a change durable (full disk, I/O error): the change was rolled back and
 * nothing changed, in memory or on disk. The dispatcher answers 507 Insufficient Storage.
 */
export class StoreWriteError extends MeshdeployError {
  constructor(message: string, hint: string, cause: unknown) {
    super("E_LOCAL_ROOM", message, { hint, cause });
    this.name = "StoreWriteError";
  }
}

/** A failed write: the change was not made, the files on disk are intact. Never suggests moving the state away. */
export function storeWriteError(file: string, cause: unknown): StoreWriteError {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  const reason = code === "ENOSPC" ? "the disk is full (ENOSPC)" : code === "EDQUOT" ? "the disk quota is exhausted (EDQUOT)" : (cause as Error).message;
  return new StoreWriteError(`local room state in ${join(file, "..")} could not be written: ${reason}; the change was not made`, writeHint(cause), cause);
}

function writeHint(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException | null)?.code;
  if (code === "ENOSPC" || code === "EDQUOT") return "free space on the filesystem holding the local room's data directory and retry: the state on disk is intact and is kept";
  return "fix the cause and retry: the state on disk is intact and is kept";
}
