// `meshdeploy apply`: plan, show the plan, confirm on a terminal (unless --yes), apply, report.
// `apply PLAN.json` (or -f naming a saved plan) applies exactly a saved plan instead
// (apply-saved.ts). Under GitHub Actions the result also goes to the step summary.
import { planProblemsError } from "./plan-problems.js";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import { renderPlan } from "../../output/render-plan.js";
import { hasChanges } from "../../plan/types.js";
import { applySavedPlan } from "./apply-saved.js";
import { printer, type CommandContext } from "./context.js";
import { executeRun, type ApplyArgs } from "./execute-run.js";
import { withFreshPlan } from "./fresh-plan.js";
import { isPlanFile } from "./plan-file.js";
import { commitNote } from "./plan.js";
import { appendStepSummary } from "./step-summary.js";

export async function applyCommand(args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const fileIsPlan = args.planFile === undefined && args.file !== undefined && (await isPlanFile(path.resolve(ctx.io.cwd, args.file)));
  const planFile = args.planFile ?? (fileIsPlan ? args.file : undefined);
  if (planFile !== undefined) {
    if (args.prune) throw new UsageError("apply: --prune cannot be combined with a saved plan", "the saved plan already says what to delete; make a new one with `meshdeploy plan --prune --out PLAN.json`");
    return applySavedPlan({ ...args, planFile, file: fileIsPlan ? undefined : args.file }, ctx);
  }
  const { out, err, style } = printer(ctx);
  return withFreshPlan(args, ctx, async ({ desired, opened, run }) => {
    const { plan } = run;
    err(style.dim(`meshdeploy apply · ${opened.target.label} · owner ${desired.owner}${commitNote(plan)}`));
    for (const line of renderPlan(plan, style, { cwd: ctx.io.cwd })) out(line);
    if (plan.problems.length > 0) {
      await appendStepSummary(ctx, renderPlanMarkdown(plan, { title: "meshdeploy apply: nothing applied", context: opened.target.label }));
      throw planProblemsError(plan, { shown: true, applying: true });
    }
    if (!hasChanges(plan)) {
      await appendStepSummary(ctx, renderPlanMarkdown(plan, { title: "meshdeploy apply", context: opened.target.label }));
      return 0;
    }
    if (ctx.io.interactive && !args.yes && !(await ctx.io.confirm("Apply these changes?"))) {
      out("Apply cancelled; nothing was changed.");
      return 0;
    }
    return executeRun(opened.target, run, args, ctx);
  });
}
