// The typed errors of meshdeploy. Every error carries a stable code and text that names the next
// step. Only src/cli turns errors into exit codes; nothing below it calls process.exit.
import type { Diagnostic } from "./diagnostic.js";

export type ErrorCode =
  | "E_CONFIG" // YAML syntax, schema or rule errors (carries diagnostics)
  | "E_USAGE" // bad command-line arguments
  | "E_CREDENTIALS" // no token / project for a remote target
  | "E_API_HTTP" // the platform answered with a non-2xx status
  | "E_API_NETWORK" // the platform could not be reached
  | "E_API_PAYLOAD" // the platform answered with something we cannot read
  | "E_ROOM_NOT_FOUND"
  | "E_PROJECT_NOT_FOUND" // the platform does not know the project id (404 on the project)
  | "E_ROOM" // a room websocket call failed or timed out
  | "E_BUILD" // packing a context or building an image failed
  | "E_WAIT" // a service did not come up (crash loop, timeout)
  | "E_SECRETS" // referenced secrets are missing
  | "E_NAMING" // an image tag cannot be turned into a service name
  | "E_CONFLICT" // a live service belongs to someone else
  | "E_LOCAL_ROOM" // the embedded local room could not start
  | "E_APPLY" // one or more services failed during apply
  | "E_HEALTH" // a declared service is not live (crash loop, exited, missing, still starting)
  | "E_GIT" // git is missing, or the config is not in a git work tree when that is required
  | "E_DIRTY" // --require-clean and the work tree has uncommitted changes
  | "E_PLAN_FILE" // a saved plan file cannot be read or written
  | "E_STALE_PLAN" // a saved plan no longer matches the config or the live services
  | "E_SYNC" // the sync loop could not clone, fetch or check out its repository
  | "E_WATCH" // the file watcher failed (watch mode)
  | "E_CONFIRM" // changes need a confirmation, stdin is not a terminal and --yes was not given
  | "E_OWNER" // the owner scope cannot be trusted for what was asked (prune with a directory-name owner)
  | "E_MAX_DELETES" // the plan deletes more services than --max-deletes allows
  | "E_PROTECTED" // a protected service would be deleted
  | "E_INTERRUPTED";

export class MeshdeployError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MeshdeployError";
    this.code = code;
    this.hint = options.hint;
  }
}

/** A configuration file failed to load: one or more located diagnostics. */
export class ConfigError extends MeshdeployError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    const where = first && first.rule !== "file" ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : "";
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
    super("E_CONFIG", `${where}${first?.message ?? "invalid configuration"}${more}`);
    this.name = "ConfigError";
    this.diagnostics = diagnostics;
  }
}

/**
 * The plan has problems (a domain without a published port, an ownership conflict, a field the
 * server's generation lacks). `diagnostics` are the located ones (GitHub annotations); `shown`:
 * the human plan already listed them and counted them, so the error adds no second count.
 */
export class PlanProblemsError extends MeshdeployError {
  readonly diagnostics: readonly Diagnostic[];
  readonly shown: boolean;
  constructor(count: number, diagnostics: readonly Diagnostic[], options: { shown: boolean; applying: boolean }) {
    super("E_CONFLICT", `the plan has ${count} problem${count === 1 ? "" : "s"}; nothing ${options.applying ? "was changed" : "can be applied until they are fixed"}`, {
      hint: `fix ${count === 1 ? "it" : "them"} and ${options.applying ? "apply" : "plan"} again`,
    });
    this.name = "PlanProblemsError";
    this.diagnostics = diagnostics;
    this.shown = options.shown;
  }
}

export class UsageError extends MeshdeployError {
  constructor(message: string, hint?: string) {
    super("E_USAGE", message, hint === undefined ? {} : { hint });
    this.name = "UsageError";
  }
}

/**
 * A request to the platform failed. `path` never contains query strings with credentials and
 * the message never contains the bearer token (see redact.ts for the safety net).
 */
export class ApiError extends MeshdeployError {
  readonly method: string;
  readonly path: string;
  readonly status: number | null;
  readonly serverMessage: string | null;
  /** The answer's Retry-After header, when it had one. */
  readonly retryAfter: string | null;
  constructor(
    code: "E_API_HTTP" | "E_API_NETWORK" | "E_API_PAYLOAD",
    init: { method: string; path: string; status: number | null; serverMessage: string | null; message: string; hint?: string; cause?: unknown; retryAfter?: string | null },
  ) {
    super(code, init.message, { ...(init.hint === undefined ? {} : { hint: init.hint }), cause: init.cause });
    this.name = "ApiError";
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.serverMessage = init.serverMessage;
    this.retryAfter = init.retryAfter ?? null;
  }
}

export function isMeshdeployError(error: unknown): error is MeshdeployError {
  return error instanceof MeshdeployError;
}

/** Anything thrown, as an Error (a thrown string or object becomes its text). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
