// Runs an apply (fresh or saved plan) with progress lines, prints the summary, appends the
// step summary and turns failures and interruption into typed errors.
import { applyRun, runHealth, type Reconciliation } from "../../reconcile.js";
import { MeshdeployError } from "../../errors.js";
import { renderApplyMarkdown } from "../../output/render-apply-markdown.js";
import { eventLine, renderApplySummary } from "../../output/render-apply.js";
import { applyToJson } from "../../output/render-json.js";
import { renderHealth } from "../../output/render-health.js";
import { healthError, unhealthy } from "../../apply/check-health.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import type { Target } from "../../platform/target.js";
import type { Targets } from "../../model/targets.js";
import { printer, runSettings, type CommandContext, type RunFlags } from "./context.js";
import type { TargetFlags } from "./open-target.js";
import { appendStepSummary } from "./step-summary.js";

/** The arguments of `meshdeploy apply` (fresh or saved plan). */
export interface ApplyArgs extends TargetFlags, RunFlags {
  file: string | undefined;
  prune: boolean;
  yes: boolean;
  /** `--adopt-from OWNER` (repeatable). */
  adoptFrom?: string[];
  /** A saved plan (`apply PLAN.json`). */
  planFile?: string | undefined;
  requireClean?: boolean;
  /** human (default) or json: progress on stderr, one JSON document on stdout (docs/json-output.md). */
  output?: string | undefined;
  /** false: --no-secret-check (the plan does not look secrets up; apply still checks before writing). */
  secretCheck?: boolean;
  /** false: --no-rebuild-on-adopt. */
  rebuildOnAdopt?: boolean;
  /** `--service`/`--room`/`--exclude` (model/targets.ts); undefined: the whole config, or a saved plan's own. */
  targets?: Targets | undefined;
}

/** Where apply's human lines go: stdout, or stderr when stdout carries the JSON document. */
export function humanLines(args: ApplyArgs, ctx: CommandContext): (line: string) => void {
  const { out, err } = printer(ctx);
  return args.output === "json" ? err : out;
}

/** `apply --output json`: the document, once. */
export function writeApplyJson(ctx: CommandContext, doc: Record<string, unknown>): void {
  printer(ctx).out(JSON.stringify(doc, null, 2));
  ctx.jsonWritten = true;
}

/** Applies `run.plan` (fresh or saved), prints progress and the summary, appends the step summary. */
export async function executeRun(target: Target, run: Reconciliation, args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const { style } = printer(ctx);
  const out = humanLines(args, ctx);
  out("");
  const result = await applyRun(target, run, {
    ...runSettings(args),
    signal: ctx.io.signal,
    onEvent: (event) => {
      const line = eventLine(event, style);
      if (line !== null) out(line);
    },
  });
  out("");
  for (const line of renderApplySummary(result, style)) out(line);
  for (const line of renderHealth(result.health, style)) out(line);
  await appendStepSummary(ctx, () => [...renderApplyMarkdown(result), "", ...renderPlanMarkdown(run.plan, { title: "Plan", context: target.label })]);
  const s = result.summary;
  const interrupted = s.skipped > 0 && ctx.io.signal.aborted;
  if (args.output === "json") writeApplyJson(ctx, applyToJson(run.plan, result, interrupted ? "interrupted" : s.failed > 0 ? "failed" : "applied"));
  if (interrupted) {
    const started = s.created + s.updated + s.deleted + s.failed > 0;
    throw new MeshdeployError("E_INTERRUPTED", started ? "apply interrupted; services already started were finished" : "apply interrupted before anything started; nothing was changed");
  }
  if (result.summary.failed > 0) throw new MeshdeployError("E_APPLY", `${result.summary.failed} service(s) failed`);
  if (unhealthy(result.health).length > 0) throw healthError(unhealthy(result.health));
  return 0;
}

/** A run with nothing to write still reads health: print it and fail when a declared service is not live. */
export async function executeHealth(target: Target, run: Reconciliation, args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const { style } = printer(ctx);
  const out = humanLines(args, ctx);
  const entries = await runHealth(target, run, { ...runSettings(args), signal: ctx.io.signal });
  for (const line of renderHealth(entries, style)) out(line);
  if (unhealthy(entries).length > 0) throw healthError(unhealthy(entries));
  if (args.output === "json") writeApplyJson(ctx, applyToJson(run.plan, null, "no-changes"));
  return 0;
}
