// JSON over HTTP to the MeshAgent REST API with undici: bearer auth, timeouts, and retries for
// idempotent methods (GET/PUT/DELETE) on 429/5xx/network errors. POST is never retried here:
// the caller decides (re-list by name first). The token lives only in the Authorization header;
// it never appears in an error, a log line or a returned value.
import { Agent, request, type Dispatcher } from "undici";
import { ApiError } from "../errors.js";
import { defaultRetryPolicy, isRetryableStatus, retryDelay, type RetryPolicy } from "./retry.js";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface HttpClientOptions {
  baseUrl: string;
  token: string;
  retry?: RetryPolicy;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Connections per origin the pool may open (default 16). */
  connections?: number;
}

export interface HttpResponse {
  status: number;
  json: unknown;
}

const IDEMPOTENT: ReadonlySet<Method> = new Set(["GET", "PUT", "DELETE"]);

export class HttpClient {
  readonly #baseUrl: string;
  readonly #token: string;
  readonly #retry: RetryPolicy;
  readonly #agent: Agent;
  #requests = 0;

  constructor(options: HttpClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.connections = options.connections ?? 16;
    this.#agent = new Agent({
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 60_000,
      connections: this.connections,
    });
  }

  /** Connections per origin the pool may open. */
  readonly connections: number;

  get requestCount(): number {
    return this.#requests;
  }

  /**
   * Sends one request, retrying idempotent methods; non-2xx answers become ApiError. A POST is
   * retried only when the caller vouches for it (`idempotent`, e.g. create-room-if-not-exists).
   */
  async send(method: Method, path: string, body?: unknown, options: { idempotent?: boolean } = {}): Promise<HttpResponse> {
    const attempts = IDEMPOTENT.has(method) || options.idempotent ? this.#retry.attempts : 1;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.#once(method, path, body);
      if (outcome.kind === "ok") return outcome.response;
      const retryable = outcome.kind === "network" || isRetryableStatus(outcome.error.status ?? 0);
      if (!retryable || attempt >= attempts) throw outcome.error;
      await this.#retry.sleep(retryDelay(attempt, outcome.retryAfter, this.#retry));
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #once(
    method: Method,
    path: string,
    body: unknown,
  ): Promise<{ kind: "ok"; response: HttpResponse } | { kind: "http" | "network"; error: ApiError; retryAfter: string | null }> {
    this.#requests++;
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(this.#baseUrl + path, {
        method,
        dispatcher: this.#agent,
        headers: { authorization: `Bearer ${this.#token}`, "content-type": "application/json", accept: "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      const reason = cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
      return {
        kind: "network",
        retryAfter: null,
        error: new ApiError("E_API_NETWORK", {
          method,
          path,
          status: null,
          serverMessage: null,
          message: `${method} ${path} failed: could not reach ${this.#baseUrl} (${reason})`,
          hint: "check --api-url / MESHAGENT_API_URL and your network",
        }),
      };
    }
    const text = await answer.body.text();
    if (answer.statusCode >= 200 && answer.statusCode < 300) {
      if (text.trim() === "") return { kind: "ok", response: { status: answer.statusCode, json: null } };
      try {
        return { kind: "ok", response: { status: answer.statusCode, json: JSON.parse(text) } };
      } catch {
        throw new ApiError("E_API_PAYLOAD", { method, path, status: answer.statusCode, serverMessage: null, message: `${method} ${path}: the server answered ${answer.statusCode} with a body that is not JSON` });
      }
    }
    // A server may echo what it was sent; the token must not travel on in an error.
    const serverMessage = extractMessage(text)?.split(this.#token).join("***") ?? null;
    const header = answer.headers["retry-after"];
    const retryAfter = Array.isArray(header) ? (header[0] ?? null) : (header ?? null);
    return {
      kind: "http",
      retryAfter,
      error: new ApiError("E_API_HTTP", {
        method,
        path,
        status: answer.statusCode,
        serverMessage,
        retryAfter,
        message: `${method} ${path} → ${answer.statusCode}${serverMessage ? `: ${serverMessage}` : ""}`,
        ...hintFor(answer.statusCode),
      }),
    };
  }
}

function hintFor(status: number): { hint?: string } {
  if (status === 401) return { hint: "the token was refused: check MESHAGENT_API_KEY / MESHAGENT_TOKEN" };
  if (status === 403) return { hint: "the token lacks permission for this project or room" };
  return {};
}

/** The server's own words: `{"error":{"message"}}`, `{"error": "…"}`, `{"message"|"detail": …}` or the raw text. */
export function extractMessage(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  try {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    const error = json["error"];
    if (error && typeof error === "object" && typeof (error as Record<string, unknown>)["message"] === "string") return (error as Record<string, string>)["message"]!;
    for (const key of ["error", "message", "detail"]) if (typeof json[key] === "string") return json[key] as string;
  } catch {
    // not JSON: fall through to the raw text
  }
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
