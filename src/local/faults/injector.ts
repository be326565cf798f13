// Decides, request by request, which fault the local room injects: one draw per decision from a
// seeded PRNG per channel (REST and room RPCs have their own streams, so websocket traffic never
// shifts the REST sequence). The same seed and the same order of requests give the same faults.
// Counts what it injected so tests can prove faults really happened. Decides only: the REST
// dispatcher and the room tools act on the decision.
import type { SeededFaultSpec } from "./fault-spec.js";
import { seededRandom, type Random } from "./prng.js";

export type FaultChannel = "rest" | "rpc";
export type FaultKind = "5xx-before" | "5xx-after" | "429" | "drop-before" | "drop-after";

export interface FaultDecision {
  /** null: answer normally (latency may still apply). */
  kind: FaultKind | null;
  latencyMs: number;
  /** The status of a 5xx fault (500, 502 or 503), else 0. */
  status: number;
}

export type FaultCounts = Record<FaultKind | "none", number>;
export type FaultStats = Record<FaultChannel, FaultCounts>;

const SERVER_ERRORS = [500, 502, 503] as const;

function emptyCounts(): FaultCounts {
  return { none: 0, "5xx-before": 0, "5xx-after": 0, "429": 0, "drop-before": 0, "drop-after": 0 };
}

export class FaultInjector {
  readonly spec: SeededFaultSpec;
  readonly #random: Record<FaultChannel, Random>;
  readonly #stats: FaultStats = { rest: emptyCounts(), rpc: emptyCounts() };

  constructor(spec: SeededFaultSpec) {
    this.spec = spec;
    // Two streams from one seed; the constant is the 32-bit golden ratio.
    this.#random = { rest: seededRandom(spec.seed), rpc: seededRandom((spec.seed ^ 0x9e3779b9) >>> 0) };
  }

  decide(channel: FaultChannel): FaultDecision {
    const { spec } = this;
    if (spec.scope !== "all" && spec.scope !== channel) return { kind: null, latencyMs: 0, status: 0 };
    const random = this.#random[channel];
    // Always four draws, whatever the outcome, so one decision never shifts the next.
    const [which, when, delay, code] = [random(), random(), random(), random()];
    const latencyMs = spec.latencyMs.min + Math.floor(delay * (spec.latencyMs.max - spec.latencyMs.min + 1));
    const after = when < spec.after;
    let kind: FaultKind | null = null;
    if (which < spec.serverError) kind = after ? "5xx-after" : "5xx-before";
    else if (which < spec.serverError + spec.rateLimit) kind = "429";
    else if (which < spec.serverError + spec.rateLimit + spec.drop) kind = after ? "drop-after" : "drop-before";
    this.#stats[channel][kind ?? "none"] += 1;
    const status = kind === "5xx-before" || kind === "5xx-after" ? SERVER_ERRORS[Math.floor(code * SERVER_ERRORS.length)]! : 0;
    return { kind, latencyMs, status };
  }

  /** Copies of the counts so far, per channel and kind. */
  stats(): FaultStats {
    return { rest: { ...this.#stats.rest }, rpc: { ...this.#stats.rpc } };
  }
}

/** Total faults injected (every kind but none) in a channel. */
export function faultsInjected(counts: FaultCounts): number {
  return counts["5xx-before"] + counts["5xx-after"] + counts["429"] + counts["drop-before"] + counts["drop-after"];
}
