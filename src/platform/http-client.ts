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
  /** Connections per origin the pool may open (default 16). */
  connections?: number;
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
  readonly #agentTimeouts: { headersMs: number; bodyMs: number };
  readonly #deadline: RunDeadline | null;
  #requests = 0;

  constructor(options: HttpClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#token = options.token;
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.connections = options.connections ?? 16;
    this.#agentTimeouts = { headersMs: options.headersTimeoutMs ?? 30_000, bodyMs: options.bodyTimeoutMs ?? 60_000 };
    this.#agent = new Agent({
      headersTimeout: this.#agentTimeouts.headersMs,
      bodyTimeout: this.#agentTimeouts.bodyMs,
      connections: this.connections,
    });
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#deadline = options.deadline ?? null;
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
      // A 2xx whose body is not JSON (a proxy's page, a cut answer) may hide a landed write:
      // like a lost answer, retried when repeating is safe, else the caller re-checks.
      const retryable = outcome.kind === "network" || outcome.kind === "payload" || (outcome.kind === "http" && isRetryableStatus(outcome.error.status ?? 0));
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
  ): Promise<{ kind: "ok"; response: HttpResponse } | { kind: "http" | "network" | "payload" | "deadline"; error: ApiError; retryAfter: string | null }> {
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
  ): Promise<{ kind: "ok"; response: HttpResponse } | { kind: "http" | "network" | "payload"; error: ApiError; retryAfter: string | null }> {
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
        error: new ApiError("E_API_NETWORK", { method, path, status: null, serverMessage: null, ...networkFailure(method, path, this.#baseUrl, reason, this.#agentTimeouts) }),
      };
    }
    const text = await answer.body.text();
    if (answer.statusCode >= 200 && answer.statusCode < 300) {
      if (text.trim() === "") return { kind: "ok", response: { status: answer.statusCode, json: null } };
      try {
        return { kind: "ok", response: { status: answer.statusCode, json: JSON.parse(text) } };
      } catch {
        return {
          kind: "payload",
          retryAfter: null,
          error: new ApiError("E_API_PAYLOAD", {
            method,
            path,
            status: answer.statusCode,
            serverMessage: null,
            message: `${method} ${path}: the server answered ${answer.statusCode} with a body that is not JSON (${describeBody(text)})`,
            hint: "a proxy or gateway in between may have answered instead of MeshAgent; the write may have landed, re-run plan to see",
          }),
        };
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

/** What a failure without an answer means: undici's timeouts are not "could not reach" (audit L10). */
function networkFailure(method: string, path: string, baseUrl: string, reason: string, timeouts: { headersMs: number; bodyMs: number }): { message: string; hint: string } {
  if (reason === "UND_ERR_HEADERS_TIMEOUT") {
    return { message: `${method} ${path} failed: ${baseUrl} took the request but sent no answer within ${timeouts.headersMs / 1000} s`, hint: "the server or a proxy in between is overloaded or stuck; try again later" };
  }
  if (reason === "UND_ERR_BODY_TIMEOUT") {
    return { message: `${method} ${path} failed: ${baseUrl} stopped sending its answer for ${timeouts.bodyMs / 1000} s`, hint: "the server or a proxy in between is overloaded or stuck; try again later" };
  }
  return { message: `${method} ${path} failed: could not reach ${baseUrl} (${reason})`, hint: "check --api-url / MESHAGENT_API_URL and your network" };
}

/** A body in a few words for a message: a page by its title, text cut short. */
function describeBody(text: string): string {
  const page = htmlTitle(text);
  if (page !== null) return page;
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 80 ? `${flat.slice(0, 80)}…, ${text.length} bytes` : JSON.stringify(flat);
}

/** An HTML page as "an HTML page: <title>", or null when `text` is not one. */
function htmlTitle(text: string): string | null {
  const head = text.trimStart().slice(0, 1024).toLowerCase();
  if (!head.startsWith("<!doctype html") && !head.startsWith("<html") && !/^<(head|body|title|center|h1)\b/.test(head)) return null;
  // Its title, else its heading, else its text (a short page, e.g. "Login required").
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1] ?? text.replace(/<[^>]*>/g, " ");
  const flat = title.replace(/\s+/g, " ").trim();
  const clean = flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
  return clean ? `an HTML page: "${clean}"` : "an HTML page";
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
  // MeshAgent 0.50.0+: a disabled room answers 423 (api@6d950a5 client.py RoomDisabledError).
  if (status === 423) return { hint: "the room is disabled (MeshAgent 0.50+): enable it in MeshAgent, then run again; nothing in it can be changed until then" };
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
  // A gateway's error page (nginx 502) is named, not pasted whole (audit L10).
  const page = htmlTitle(trimmed);
  if (page !== null) return `${page} (not from MeshAgent: a proxy or gateway answered)`;
  return trimmed.length > 500 ? `${trimmed.slice(0, 500)}…` : trimmed;
}
