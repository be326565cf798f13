// Runs an apply (fresh or saved plan) with progress lines, prints the summary, appends the
// step summary and turns failures and interruption into typed errors.
import { applyRun, type Reconciliation } from "../../reconcile.js";
import { MeshdeployError } from "../../errors.js";
import { renderApplyMarkdown } from "../../output/render-apply-markdown.js";
import { eventLine, renderApplySummary } from "../../output/render-apply.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import type { Target } from "../../platform/target.js";
import { printer, runSettings, type CommandContext, type RunFlags } from "./context.js";
import type { TargetFlags } from "./open-target.js";
import { appendStepSummary } from "./step-summary.js";

/** The arguments of `meshdeploy apply` (fresh or saved plan). */
export interface ApplyArgs extends TargetFlags, RunFlags {
  file: string | undefined;
  prune: boolean;
  yes: boolean;
  /** A saved plan (`apply PLAN.json`). */
  planFile?: string | undefined;
  requireClean?: boolean;
}

/** Applies `run.plan` (fresh or saved), prints progress and the summary, appends the step summary. */
export async function executeRun(target: Target, run: Reconciliation, args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const { out, style } = printer(ctx);
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
  await appendStepSummary(ctx, [...renderApplyMarkdown(result), "", ...renderPlanMarkdown(run.plan, { title: "Plan", context: target.label })]);
  const s = result.summary;
  if (s.skipped > 0 && ctx.io.signal.aborted) {
    const started = s.created + s.updated + s.deleted + s.failed > 0;
    throw new MeshdeployError("E_INTERRUPTED", started ? "apply interrupted; services already started were finished" : "apply interrupted before anything started; nothing was changed");
  }
  if (result.summary.failed > 0) throw new MeshdeployError("E_APPLY", `${result.summary.failed} service(s) failed`);
  return 0;
}
