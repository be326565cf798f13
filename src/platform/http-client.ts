// JSON over HTTP to the MeshAgent REST API with undici: bearer auth, timeouts, and retries for
// idempotent methods (GET/PUT/DELETE) on 429/5xx/network errors. Every request has a total
// deadline (undici's body timeout is an idle timeout that one byte every few seconds resets), and
// a run may add its own (--timeout): past it no request starts and the one in flight is stopped. POST is never retried here:
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
  /** Total deadline of one request, headers and body together (default 120 s). */
  requestTimeoutMs?: number;
  /** The run's own deadline (--timeout), shared by every request of the run. */
  deadline?: RunDeadline;
}

/** A deadline for a whole run: `at` in epoch ms; `seconds` as the user gave it, for messages. */
export interface RunDeadline {
  at: number;
  seconds: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

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
  readonly #requestTimeoutMs: number;
  readonly #deadline: RunDeadline | null;
  #requests = 0;

  constructor(options: HttpClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.#agent = new Agent({
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 60_000,
      connections: 16,
    });
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#deadline = options.deadline ?? null;
  }

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
      const retryable = outcome.kind === "network" || (outcome.kind === "http" && isRetryableStatus(outcome.error.status ?? 0));
      if (!retryable || attempt >= attempts) throw outcome.error;
      const delay = retryDelay(attempt, outcome.retryAfter, this.#retry);
      // A retry that could only start after the run's deadline reports the real failure instead.
      if (this.#deadline !== null && this.#retry.now() + delay >= this.#deadline.at) throw outcome.error;
      await this.#retry.sleep(delay);
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async #once(
    method: Method,
    path: string,
    body: unknown,
  ): Promise<{ kind: "ok"; response: HttpResponse } | { kind: "http" | "network" | "deadline"; error: ApiError; retryAfter: string | null }> {
    const budget = this.#budget();
    if (budget.ms <= 0) return { kind: "deadline", retryAfter: null, error: deadlineError(method, path, budget, false) };
    this.#requests++;
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), budget.ms);
    try {
      return await this.#exchange(method, path, body, stop.signal);
    } catch (error) {
      // Headers or body still incomplete at the deadline: undici rejects with the abort.
      if (stop.signal.aborted) {
        const deadline = budget.run ? "deadline" : "network";
        return { kind: deadline, retryAfter: null, error: deadlineError(method, path, budget, true) };
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What is left for one request: the per-request deadline, or the run's when that is nearer. */
  #budget(): Budget {
    const own = { ms: this.#requestTimeoutMs, run: false, seconds: this.#requestTimeoutMs / 1000 };
    if (this.#deadline === null) return own;
    const left = this.#deadline.at - this.#retry.now();
    return left < own.ms ? { ms: left, run: true, seconds: this.#deadline.seconds } : own;
  }

  async #exchange(
    method: Method,
    path: string,
    body: unknown,
    signal: AbortSignal,
  ): Promise<{ kind: "ok"; response: HttpResponse } | { kind: "http" | "network"; error: ApiError; retryAfter: string | null }> {
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(this.#baseUrl + path, {
        method,
        dispatcher: this.#agent,
        signal,
        headers: { authorization: `Bearer ${this.#token}`, "content-type": "application/json", accept: "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      if (signal.aborted) throw cause;
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

interface Budget {
  ms: number;
  /** The run's deadline (--timeout) is the nearer one. */
  run: boolean;
  seconds: number;
}

function deadlineError(method: string, path: string, budget: Budget, started: boolean): ApiError {
  const what = budget.run ? `the run's deadline (--timeout ${budget.seconds})` : `the per-request deadline of ${budget.seconds} s`;
  return new ApiError("E_API_NETWORK", {
    method,
    path,
    status: null,
    serverMessage: null,
    message: started ? `${method} ${path}: no complete answer within ${what}` : `${method} ${path} not sent: ${what} has passed`,
    hint: budget.run
      ? "the server is slow or unreachable; raise --timeout, or drop it to use only the per-request deadline"
      : "the server answered too slowly (headers or body incomplete); check the network or a proxy in between",
  });
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
