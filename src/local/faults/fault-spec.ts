// The fault-injection spec of the local room, as written on the command line
// (`--faults "5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42"`) or in MESHDEPLOY_LOCAL_FAULTS:
// parsing (with "Expected X, got Y" errors) and the canonical text. Pure.
import { UsageError } from "../../errors.js";

export type FaultScope = "all" | "rest" | "rpc";

export interface FaultSpec {
  /** Probability that a request is answered 500, 502 or 503. */
  serverError: number;
  /** Probability of 429 Too Many Requests with `Retry-After`. */
  rateLimit: number;
  /** Probability that the connection is dropped (REST: TCP socket destroyed; RPC: websocket terminated). */
  drop: number;
  /** Latency added to every request, uniform in [min, max] milliseconds. */
  latencyMs: { min: number; max: number };
  /** Share of the 5xx and drop faults injected after the handler ran: the change is made, the answer lost. */
  after: number;
  /** `Retry-After` of an injected 429, in seconds. */
  retryAfterSeconds: number;
  /** Which requests get faults: REST, room RPCs, or both. */
  scope: FaultScope;
  /** null: not given; whoever starts the room picks one and prints it. */
  seed: number | null;
}

/** A spec whose seed is known: what the local room runs with. */
export type SeededFaultSpec = Omit<FaultSpec, "seed"> & { seed: number };

export const FAULTS_ENV = "MESHDEPLOY_LOCAL_FAULTS";
export const FAULTS_FORMAT = "5xx=RATE,429=RATE,drop=RATE,latency=MIN-MAXms,after=SHARE,retry-after=SECONDS,scope=all|rest|rpc,seed=N";

const DEFAULTS: FaultSpec = { serverError: 0, rateLimit: 0, drop: 0, latencyMs: { min: 0, max: 0 }, after: 0.5, retryAfterSeconds: 1, scope: "all", seed: null };
const KEYS = ["5xx", "429", "drop", "latency", "after", "retry-after", "scope", "seed"] as const;

/** Parses a spec; `none`, `off` or an empty text mean no faults (null). `source` names the flag or variable in errors. */
export function parseFaultSpec(text: string, source = "--faults"): FaultSpec | null {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === "none" || trimmed === "off") return null;
  const spec: FaultSpec = { ...DEFAULTS, latencyMs: { ...DEFAULTS.latencyMs } };
  const seen = new Set<string>();
  for (const item of trimmed.split(",").map((part) => part.trim()).filter((part) => part !== "")) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw specError(source, `Expected KEY=VALUE, got "${item}"`);
    const key = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    if (!(KEYS as readonly string[]).includes(key)) throw specError(source, `Expected one of ${KEYS.join(", ")} as a key, got "${key}"`);
    if (seen.has(key)) throw specError(source, `"${key}" is given twice`);
    seen.add(key);
    if (key === "5xx") spec.serverError = rate(source, key, value);
    else if (key === "429") spec.rateLimit = rate(source, key, value);
    else if (key === "drop") spec.drop = rate(source, key, value);
    else if (key === "after") spec.after = rate(source, key, value);
    else if (key === "latency") spec.latencyMs = latency(source, value);
    else if (key === "retry-after") spec.retryAfterSeconds = integer(source, key, value, 3600);
    else if (key === "seed") spec.seed = integer(source, key, value, 0xffffffff);
    else if (value === "all" || value === "rest" || value === "rpc") spec.scope = value;
    else throw specError(source, `Expected all, rest or rpc for scope, got "${value}"`);
  }
  const total = spec.serverError + spec.rateLimit + spec.drop;
  if (total > 1 + 1e-9) throw specError(source, `Expected 5xx + 429 + drop to be at most 1, got ${round(total)}`);
  return spec;
}

/** The canonical text of a spec: parses back to the same spec. */
export function formatFaultSpec(spec: FaultSpec): string {
  const { min, max } = spec.latencyMs;
  return [
    `5xx=${round(spec.serverError)}`,
    `429=${round(spec.rateLimit)}`,
    `drop=${round(spec.drop)}`,
    `latency=${min === max ? `${min}ms` : `${min}-${max}ms`}`,
    `after=${round(spec.after)}`,
    `retry-after=${spec.retryAfterSeconds}`,
    `scope=${spec.scope}`,
    ...(spec.seed === null ? [] : [`seed=${spec.seed}`]),
  ].join(",");
}

/** The spec with its seed: the given one, else `pick()` (the caller prints it so the run can be replayed). */
export function withSeed(spec: FaultSpec, pick: () => number): SeededFaultSpec {
  return { ...spec, seed: spec.seed ?? pick() >>> 0 };
}

function rate(source: string, key: string, value: string): number {
  const percent = value.endsWith("%");
  const number = Number(percent ? value.slice(0, -1) : value);
  const result = percent ? number / 100 : number;
  if (value === "" || !Number.isFinite(result) || result < 0 || result > 1) {
    throw specError(source, `Expected a rate between 0 and 1 (or 0%–100%) for ${key}, got "${value}"`);
  }
  return result;
}

function latency(source: string, value: string): { min: number; max: number } {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?(?:-(\d+(?:\.\d+)?)(ms|s)?)?$/.exec(value);
  if (match === null) throw specError(source, `Expected latency as MS, MINms-MAXms or MIN-MAXs, got "${value}"`);
  const unit = match[4] ?? match[2] ?? "ms";
  const scale = (unitOf: string | undefined): number => ((unitOf ?? unit) === "s" ? 1000 : 1);
  const min = Math.round(Number(match[1]) * scale(match[2]));
  const max = match[3] === undefined ? min : Math.round(Number(match[3]) * scale(match[4]));
  if (max < min) throw specError(source, `Expected the latency minimum to be at most the maximum, got "${value}"`);
  if (max > 60_000) throw specError(source, `Expected a latency of at most 60 s, got "${value}"`);
  return { min, max };
}

function integer(source: string, key: string, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max) throw specError(source, `Expected an integer 0–${max} for ${key}, got "${value}"`);
  return Number(value);
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function specError(source: string, problem: string): UsageError {
  return new UsageError(`${source}: ${problem}`, `fault injection takes ${FAULTS_FORMAT} (every part optional), e.g. "5xx=0.1,429=0.05,latency=20-80ms,drop=0.05,seed=42"`);
}
