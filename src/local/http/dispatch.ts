// One HTTP request, start to finish: authenticate, route (404/405/unknown project), run the
// resource handler, write its 200 JSON or the error body, and record the request in the log.
// The only place that turns a RequestError (or an unexpected failure) into a response.
// With fault injection on (src/local/faults), the handler runs under the injector's decision.
import type { IncomingMessage, ServerResponse } from "node:http";
import { MeshdeployError } from "../../errors.js";
import type { Handler, LocalRequest } from "../context.js";
import { RequestError, StoreWriteError } from "../errors.js";
import type { FaultInjector } from "../faults/injector.js";
import { InjectedDrop } from "../faults/drop.js";
import { InjectedFault, withRestFault } from "../faults/rest-faults.js";
import type { BearerCheck } from "./auth.js";
import { parseJsonObject, readBody } from "./body.js";
import { checkLoopbackRequest } from "./loopback-names.js";
import { errorBody, sendJson } from "./reply.js";
import { decodePath, type HttpMethod, type Router } from "./router.js";

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  /** The injected fault, if any (status 0: the connection was dropped without an answer). */
  fault?: string;
}

export interface DispatchOptions {
  checkBearer: BearerCheck;
  router: Router<Handler>;
  /** Runs on the params of every matched path before the method check (unknown project → 404). */
  guard: (params: Record<string, string>) => void;
  onLog: (entry: RequestLogEntry) => void;
  /** True once the server is shutting down: answers then close their connection. */
  isClosing: () => boolean;
  /** The fault injector in force (null or absent: none). Asked after auth and routing. */
  faults?: () => FaultInjector | null;
  /** The address the server is bound to: also accepted as a Host (loopback-names.ts). */
  boundHost: string;
}

export function createDispatcher(options: DispatchOptions): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    const method = request.method ?? "GET";
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const rawPath = queryStart === -1 ? url : url.slice(0, queryStart);
    const query = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1));
    const finish = (status: number, body: unknown, headers?: Record<string, string>, fault?: string): void => {
      options.onLog(fault === undefined ? { method, path: rawPath, status } : { method, path: rawPath, status, fault });
      if (response.headersSent) return;
      sendJson(response, status, body, options.isClosing() ? { ...headers, Connection: "close" } : headers);
    };
    handle(options, request, method, rawPath, query).then(
      (body) => finish(200, body),
      (error: unknown) => {
        if (error instanceof InjectedDrop) {
          options.onLog({ method, path: rawPath, status: 0, fault: error.fault });
          request.socket.destroy();
          return;
        }
        const { status, message, headers } = describeError(error);
        finish(status, errorBody(message), headers, error instanceof InjectedFault ? error.fault : undefined);
      },
    );
  };
}

async function handle(options: DispatchOptions, request: IncomingMessage, method: string, rawPath: string, query: URLSearchParams): Promise<unknown> {
  // Before the token: a rebound name learns nothing, not even whether its guess was right.
  checkLoopbackRequest(request.headers, options.boundHost);
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
  const run = async (): Promise<unknown> => match.handler(localRequest);
  const injector = options.faults?.() ?? null;
  return injector === null ? await run() : await withRestFault(injector, run);
}

function describeError(error: unknown): { status: number; message: string; headers?: Record<string, string> } {
  if (error instanceof RequestError) return { status: error.status, message: error.message, headers: { ...error.headers } };
  if (error instanceof StoreWriteError) return { status: 507, message: `${error.message}: ${error.hint ?? ""}` };
  if (error instanceof MeshdeployError) return { status: 500, message: error.message };
  const text = error instanceof Error ? error.message : String(error);
  return { status: 500, message: `internal error in the local room: ${text}` };
}
