// One HTTP request, start to finish: authenticate, route (404/405/unknown project), run the
// resource handler, write its 200 JSON or the error body, and record the request in the log.
// The only place that turns a RequestError (or an unexpected failure) into a response.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MeshdeployError } from "../../errors.js";
import type { Handler, LocalRequest } from "../context.js";
import { RequestError } from "../errors.js";
import type { BearerCheck } from "./auth.js";
import { parseJsonObject, readBody } from "./body.js";
import { errorBody, sendJson } from "./reply.js";
import { decodePath, type HttpMethod, type Router } from "./router.js";

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
}

export interface DispatchOptions {
  checkBearer: BearerCheck;
  router: Router<Handler>;
  /** Runs on the params of every matched path before the method check (unknown project → 404). */
  guard: (params: Record<string, string>) => void;
  onLog: (entry: RequestLogEntry) => void;
  /** True once the server is shutting down: answers then close their connection. */
  isClosing: () => boolean;
}

export function createDispatcher(options: DispatchOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const method = request.method ?? "GET";
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));
    const finish = (status: number, body: unknown, headers?: Record<string, string>): void => {
      options.onLog({ method, path: rawPath, status });
      if (response.headersSent) return;
      sendJson(response, status, body, options.isClosing() ? { ...headers, Connection: "close" } : headers);
    };
    handle(options, request, method, rawPath, query).then(
      (body) => finish(200, body),
      (error: unknown) => {
        const { status, message, headers } = describeError(error);
        finish(status, errorBody(message), headers);
      },
    );
  };
}

async function handle(options: DispatchOptions, request: IncomingMessage, method: string, rawPath: string, query: URLSearchParams): Promise<unknown> {
  options.checkBearer(request.headers.authorization);
  const segments = decodePath(rawPath);
  const match = options.router.match(method, segments, options.guard);
  if (match === null) throw new RequestError(404, `no such endpoint: ${method} /${segments.join("/")}`);
  const localRequest: LocalRequest = {
    method: method as HttpMethod,
    params: match.params,
    query,
    json: async () => parseJsonObject(await readBody(request)),
  };
  return await match.handler(localRequest);
}

function describeError(error: unknown): { status: number; message: string; headers?: Record<string, string> } {
  if (error instanceof RequestError) return { status: error.status, message: error.message, headers: { ...error.headers } };
  if (error instanceof MeshdeployError) return { status: 500, message: error.message };
  const text = error instanceof Error ? error.message : String(error);
  return { status: 500, message: `internal error in the local room: ${text}` };
}
