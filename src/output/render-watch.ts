// Watch reports → lines. Each cycle prints what triggered it (the first few files and a count),
// the plan and apply progress when something changes, and one closing line saying what was done
// and how long it took; nothing is printed while no file changes. Located config errors and other
// failures are rendered by the caller (cli/render-error.ts) before the closing line. Pure.
import path from "node:path";
import type { ApplyResult, Outcome, ServiceResult } from "../apply/apply-plan.js";
import { eventLine } from "./render-apply.js";
import { renderPlan } from "./render-plan.js";
import type { Style } from "./style.js";
import { hasChanges } from "../plan/types.js";
import type { Classified } from "../loops/watch/scope.js";
import type { WatchReport } from "../loops/watch/session.js";
import { isSuperseded, MAX_SUPERSEDED } from "../loops/watch/superseded.js";

/** How many triggering files a cycle line names before "(+N more)". */
export const SHOWN_FILES = 3;

export interface RenderOptions {
  style: Style;
  /** Paths under this directory are shown relative to it. */
  cwd: string;
  /** --verbose: printed plans list up-to-date services and each bookkeeping change. */
  verbose?: boolean;
}

export function renderReport(report: WatchReport, options: RenderOptions): string[] {
  const { style } = options;
  switch (report.type) {
    case "watching": {
      const contexts = `${report.contexts} build context${report.contexts === 1 ? "" : "s"}`;
      return [style.dim(`Watching ${display(report.configFile, options.cwd)} and ${contexts} (quiet period ${report.debounceMs} ms). Ctrl-C to stop.`)];
    }
    case "cycleStart":
      return ["", style.bold(`▶ cycle ${report.cycle} · ${report.trigger === null ? "full reconcile" : triggerText(report.trigger, options.cwd)}`)];
    case "planned":
      return hasChanges(report.plan) || report.plan.problems.length > 0 ? renderPlan(report.plan, style, { pruneSwitch: "watch-flag", verbose: options.verbose ?? false, cwd: options.cwd }) : [];
    case "applyEvent": {
      const { event } = report;
      if (event.type === "finish" && isSuperseded(event.result)) {
        return [style.yellow(`↻ ${event.result.service.name}: its context changed during the build; the next cycle deploys the newer files`)];
      }
      const line = eventLine(event, style);
      return line === null ? [] : [line];
    }
    case "queued":
      return [style.dim(`… ${fileList(report.paths, options.cwd)} changed during cycle ${report.cycle}; one more cycle follows`)];
    case "cycleEnd":
      return cycleEndLines(report, options);
    case "rewatched":
      return [style.dim(`Now watching ${report.contexts} build context${report.contexts === 1 ? "" : "s"}.`)];
    case "watchError":
      return []; // rendered by the caller, with its hint
    case "stopping":
      return ["", style.dim(report.writesInFlight > 0 ? `Stopping: letting ${report.writesInFlight} write${report.writesInFlight === 1 ? "" : "s"} in flight finish…` : "Stopping…")];
    case "stopped":
      return [report.abandonedWrites > 0 ? style.yellow(`Stopped watching; ${report.abandonedWrites} write(s) did not finish in time (re-run to converge).`) : "Stopped watching."];
  }
}

function cycleEndLines(report: Extract<WatchReport, { type: "cycleEnd" }>, options: RenderOptions): string[] {
  const stuck = report.stuck.map((name) =>
    options.style.yellow(`! ${name}: its context keeps changing while it builds (${MAX_SUPERSEDED} or more times in a row); not retried until the next edit (is a file in the context written all the time? add it to .dockerignore)`),
  );
  return [...closingLines(report, options), ...stuck];
}

function closingLines(report: Extract<WatchReport, { type: "cycleEnd" }>, options: RenderOptions): string[] {
  const { style } = options;
  const { outcome } = report;
  const took = duration(report.durationMs);
  const head = `cycle ${report.cycle}`;
  const retry = report.retrying ? "; another cycle follows with the newer files" : "";
  if (outcome.error !== null) return [style.red(`✗ ${head} failed after ${took}; the next change retries`)];
  if (outcome.configError !== null && outcome.plan === null) {
    return [style.red(`✗ ${head} · the config is invalid; the last good one stays deployed, waiting for a fix (${took})`)];
  }
  const kept = outcome.configError !== null ? " (config invalid: the last good one was used)" : "";
  if (outcome.plan !== null && outcome.plan.problems.length > 0) return [style.red(`✗ ${head} · the plan has problems; nothing was applied${kept} (${took})`)];
  if (outcome.result === null) return [style.dim(`✓ ${head} · no changes${kept} (${took})`)];
  const failed = outcome.result.results.filter((r) => r.outcome === "failed" && !isSuperseded(r));
  const done = doneText(outcome.result);
  const superseded = outcome.superseded.length > 0 ? `, ${outcome.superseded.length} superseded` : "";
  if (failed.length === 0) return [style.green(`✓ ${head} · ${done}${superseded}${kept} (${took})${retry}`)];
  const lines = [style.red(`✗ ${head} · ${done}${superseded}, ${failed.length} failed${kept} (${took}); the next change retries${retry}`)];
  for (const r of failed) {
    const hint = (r.error as { hint?: string } | null)?.hint;
    if (hint) lines.push(style.dim(`  ${r.service.name}: ${hint}`));
  }
  return lines;
}

const VERBS: Outcome[] = ["created", "updated", "deleted", "skipped"];

/** "updated local-web, created acme-api" (or "nothing deployed"). */
function doneText(result: ApplyResult): string {
  const parts = VERBS.map((verb) => [verb, names(result.results.filter((r) => r.outcome === verb))] as const)
    .filter(([, list]) => list !== "")
    .map(([verb, list]) => `${verb} ${list}`);
  return parts.length > 0 ? parts.join(", ") : "nothing deployed";
}

const names = (results: readonly ServiceResult[]): string => results.map((r) => r.service.name).join(", ");

/** "web/app.py, web/util.py (+2 more) → web:1" */
export function triggerText(trigger: Classified, cwd: string): string {
  const what = [...(trigger.config ? ["config"] : []), ...trigger.services];
  return `${fileList(trigger.files, cwd)}${what.length > 0 ? ` → ${what.join(", ")}` : ""}`;
}

export function fileList(paths: readonly string[], cwd: string): string {
  const shown = paths.slice(0, SHOWN_FILES).map((p) => display(p, cwd));
  const more = paths.length - shown.length;
  return `${shown.join(", ")}${more > 0 ? ` (+${more} more)` : ""}`;
}

function display(p: string, cwd: string): string {
  const rel = path.relative(cwd, p);
  const shown = rel === "" ? "." : rel.startsWith("..") || path.isAbsolute(rel) ? p : rel;
  return p.endsWith("/") && !shown.endsWith("/") ? `${shown}/` : shown;
}

export function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
