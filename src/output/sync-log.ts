// The log of a long-running `sync`: every line starts with an ISO-8601 time (text), or every event
// is one JSON object per line (`--log-format json`). A steady state is logged once, when it is
// reached, and then only as a heartbeat every `heartbeatMs`; anything that wrote, failed or moved to
// another commit is always logged. Stateful only in what it last printed; the time is passed in.
import type { CycleReport } from "../loops/sync/sync-loop.js";
import { renderCycle } from "./render-sync.js";
import { plain, type Style } from "./style.js";

export type LogFormat = "text" | "json";
export const LOG_FORMATS: readonly LogFormat[] = ["text", "json"];

export interface SyncLogOptions {
  format: LogFormat;
  heartbeatMs: number;
  style: Style;
}

/** The identity of a steady state: the same key again, with nothing written, is not news. */
function steadyKey(report: CycleReport): string | null {
  const r = report.reconciled;
  if (report.outcome === "up-to-date" || report.outcome === "suspended" || report.outcome === "drift-detected" || (report.outcome === "skipped" && report.skipped?.repeated === true && (r === undefined || r.result === null))) {
    const plan = r ? JSON.stringify(r.plan.summary) : "";
    return [report.outcome, report.head?.sha ?? "", r?.commit.sha ?? report.kept?.sha ?? "", r?.what ?? "", plan].join(" ");
  }
  return null;
}

export class SyncLog {
  readonly #options: SyncLogOptions;
  #steady: string | null = null;
  #steadySince = 0;
  #lastPrintedMs = 0;

  constructor(options: SyncLogOptions) {
    this.#options = options;
  }

  /** The lines to print for a cycle (none when it repeats the steady state before the heartbeat is due). */
  cycle(report: CycleReport, now: Date): string[] {
    const key = steadyKey(report);
    const ms = now.getTime();
    let event = "cycle";
    if (key !== null && key === this.#steady) {
      if (ms - this.#lastPrintedMs < this.#options.heartbeatMs) return [];
      event = "heartbeat";
    } else if (key !== null) {
      this.#steady = key;
      this.#steadySince = ms;
    } else this.#steady = null;
    this.#lastPrintedMs = ms;
    if (this.#options.format === "json") return [JSON.stringify(cycleEvent(report, now, event, this.#steady === null ? null : new Date(this.#steadySince)))];
    const lines = renderCycle(report, this.#options.style);
    if (event === "heartbeat" && lines[0] !== undefined) lines[0] += this.#options.style.dim(` (unchanged since ${new Date(this.#steadySince).toISOString()})`);
    return lines.map((line) => `${now.toISOString()} ${line}`);
  }

  /** Any other event (started, listening, triggered, stopped): one line. */
  event(name: string, level: "info" | "warn" | "error", message: string, now: Date, fields: Record<string, unknown> = {}): string {
    if (this.#options.format === "json") return JSON.stringify({ time: now.toISOString(), level, event: name, message, ...fields });
    return `${now.toISOString()} ${message}`;
  }
}

/** One cycle as a JSON object (documented in docs/git-and-ci.md; `message` is the text line). */
export function cycleEvent(report: CycleReport, now: Date, event: string, steadySince: Date | null): Record<string, unknown> {
  const r = report.reconciled;
  const text = renderCycle(report, plain);
  return {
    time: now.toISOString(),
    level: report.outcome === "failed" ? "error" : report.outcome === "skipped" || report.outcome === "suspended" || report.outcome === "drift-detected" ? "warn" : "info",
    event,
    outcome: report.outcome,
    commit: report.head === null ? null : { sha: report.head.sha, subject: report.head.subject },
    deployed: r?.commit.sha ?? report.kept?.sha ?? null,
    plan: r ? r.plan.summary : null,
    applied: r?.result ? r.result.summary : null,
    services: r
      ? r.plan.services
          .filter((s) => s.type !== "noop")
          .map((s) => {
            const result = r.result?.results.find((x) => x.service === s);
            return { room: s.room, name: s.name, action: s.type, outcome: result?.outcome ?? null, id: result?.id ?? s.id, error: result?.error?.message ?? null };
          })
      : [],
    diagnostics: report.skipped && !report.skipped.repeated ? report.skipped.diagnostics.map((d) => ({ ...d })) : [],
    error: report.error?.message ?? null,
    duration_ms: report.durationMs === undefined ? null : Math.round(report.durationMs),
    next_in_ms: report.nextInMs ?? null,
    ...(steadySince && event === "heartbeat" ? { steady_since: steadySince.toISOString() } : {}),
    message: text[0] ?? "",
  };
}
