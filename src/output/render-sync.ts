// One sync cycle → lines: always `commit <short sha> <subject>: <what it did>` (or why there is no
// commit), then the changed services when something was written, the config errors of a skipped
// commit the first time it is seen (as code frames), and the failure and retry when it failed.
// Pure: returns lines.
import type { ApplySummary } from "../apply/apply-plan.js";
import { renderCodeFrame } from "../config/code-frame.js";
import type { CycleReport, Reconciled, SkipReason } from "../loops/sync/sync-loop.js";
import type { Commit } from "../loops/sync/sync-repo.js";
import { renderServiceBlock } from "./render-plan.js";
import type { Style } from "./style.js";

/** A skipped commit is named for what is wrong with it (an ownership conflict is not an invalid config). */
const SKIP_TEXT: Record<SkipReason, string> = {
  "invalid-config": "invalid config",
  "ownership-conflict": "ownership conflict",
  protected: "protected service in the way of prune",
  "plan-problem": "plan problem",
  "max-deletes": "too many deletes (--max-deletes)",
};

export function commitLabel(commit: Commit): string {
  return `commit ${commit.sha.slice(0, 7)} ${commit.subject}`;
}

function counts(s: ApplySummary): string {
  const failed = s.failed > 0 ? `, ${s.failed} failed` : "";
  return `${s.created} created, ${s.updated} updated, ${s.deleted} deleted${failed}`;
}

function did(r: Reconciled): string {
  if (r.what === "drift-detected") {
    const { create, update, delete: del } = r.plan.summary;
    return `drift detected, not corrected (self-heal off): ${create} to create, ${update} to update, ${del} to delete`;
  }
  if (r.what === "suspended") {
    const { create, update, delete: del } = r.plan.summary;
    return `suspended: ${create} to create, ${update} to update, ${del} to delete, not applied`;
  }
  if (r.what === "up-to-date") return `up to date (${r.plan.services.length} service${r.plan.services.length === 1 ? "" : "s"})`;
  const applied = r.result === null ? "" : ` (${counts(r.result.summary)})`;
  return `${r.what === "applied" ? "applied" : "drift corrected"}${applied}`;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

export function renderCycle(report: CycleReport, style: Style): string[] {
  const retry = report.nextInMs !== undefined && report.outcome === "failed" ? `; retrying in ${seconds(report.nextInMs)}` : "";
  if (report.head === null) return report.outcome === "interrupted" ? [] : [style.red(`fetch failed: ${report.error?.message ?? "unknown error"}${retry}`)];
  const parts: string[] = [];
  const { skipped, reconciled } = report;
  if (skipped) {
    const why = skipped.error?.message ?? `${skipped.diagnostics.length} error${skipped.diagnostics.length === 1 ? "" : "s"} in the config`;
    const what = SKIP_TEXT[skipped.why];
    parts.push(skipped.repeated ? `skipped (${what}, reported before)` : `${what}, skipped (${why})`);
    const kept = reconciled?.commit ?? report.kept;
    const label = kept ? `keeping ${commitLabel(kept).replace(/^commit /, "")}` : "nothing deployed yet";
    parts.push(reconciled ? `${label}: ${did(reconciled)}` : label);
  } else if (reconciled) parts.push(did(reconciled));
  if (report.outcome === "failed") parts.push(`failed: ${report.error?.message ?? "unknown error"}${retry}`);
  if (report.outcome === "interrupted") parts.push("interrupted");
  const paint = report.outcome === "failed" ? style.red : skipped || report.outcome === "suspended" || report.outcome === "drift-detected" ? style.yellow : reconciled?.result ? style.green : (t: string) => t;
  const lines = [paint(`${commitLabel(report.head)}: ${parts.join("; ")}`)];
  if (skipped && !skipped.repeated) {
    for (const d of skipped.diagnostics) lines.push(...renderCodeFrame(d, skipped.source).map((l) => `  ${l}`));
    const hint = (skipped.error as { hint?: string } | null)?.hint;
    if (hint) lines.push(style.dim(`  hint: ${hint}`));
  }
  if (reconciled?.result || reconciled?.what === "suspended" || reconciled?.what === "drift-detected") {
    for (const s of reconciled.plan.services) lines.push(...renderServiceBlock(s, style, { verbose: false }));
    for (const r of (reconciled.result?.results ?? []).filter((r) => r.outcome === "failed")) lines.push(style.red(`  ✗ ${r.service.name} (room ${r.service.room}): ${r.error?.message ?? "unknown error"}`));
  }
  const hint = (report.error as { hint?: string } | undefined)?.hint;
  if (report.outcome === "failed" && hint) lines.push(style.dim(`  hint: ${hint}`));
  return lines;
}
