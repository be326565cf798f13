// `meshdeploy apply`: plan, show the plan, get approval (approve-apply.ts), apply, report.
// `apply PLAN.json` (or -f naming a saved plan) applies exactly a saved plan instead
// (apply-saved.ts). Under GitHub Actions the result also goes to the step summary.
import { planProblemsError } from "./plan-problems.js";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import { renderPlan } from "../../output/render-plan.js";
import { describeOwner } from "../../model/owner.js";
import { deleteLimitError } from "../../plan/delete-limit.js";
import { hasChanges } from "../../plan/types.js";
import { applySavedPlan } from "./apply-saved.js";
import { approveApply } from "./approve-apply.js";
import { environmentNote, printer, type CommandContext } from "./context.js";
import { applyToJson } from "../../output/render-json.js";
import { executeHealth, executeRun, humanLines, writeApplyJson, type ApplyArgs } from "./execute-run.js";
import { withFreshPlan } from "./fresh-plan.js";
import { isPlanFile } from "./plan-file.js";
import { commitNote, platformWarning } from "./plan.js";
import { appendStepSummary } from "./step-summary.js";

export async function applyCommand(args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const fileIsPlan = args.planFile === undefined && args.file !== undefined && (await isPlanFile(path.resolve(ctx.io.cwd, args.file)));
  const planFile = args.planFile ?? (fileIsPlan ? args.file : undefined);
  if (args.output !== undefined && args.output !== "human" && args.output !== "json") throw new UsageError(`apply: --output expects human or json; got "${args.output}"`);
  // Like `terraform apply -json`: a JSON stream is for programs, which cannot answer a prompt.
  if (args.output === "json" && planFile === undefined && !args.yes) throw new UsageError("apply: --output json needs --yes (or a saved plan)", "review with `meshdeploy plan`, then run `meshdeploy apply --yes --output json`");
  if (planFile !== undefined) {
    if (args.prune) throw new UsageError("apply: --prune cannot be combined with a saved plan", "the saved plan already says what to delete; make a new one with `meshdeploy plan --prune --out PLAN.json`");
    if ((args.adoptFrom ?? []).length > 0) throw new UsageError("apply: --adopt-from cannot be combined with a saved plan", "the saved plan already says what it adopts; make a new one with `meshdeploy plan --adopt-from OWNER --out PLAN.json`");
    return applySavedPlan({ ...args, planFile, file: fileIsPlan ? undefined : args.file }, ctx);
  }
  const { err, style } = printer(ctx);
  const out = humanLines(args, ctx);
  return withFreshPlan(args, ctx, async ({ desired, opened, run }) => {
    const { plan } = run;
    err(style.dim(`meshdeploy apply · ${opened.target.label}${environmentNote(desired.environment)} · owner ${describeOwner(desired.owner, desired.ownerSource)}${commitNote(plan)}`));
    const warning = platformWarning(plan);
    if (warning !== null) err(style.yellow(warning));
    for (const line of renderPlan(plan, style, { cwd: ctx.io.cwd })) out(line);
    if (plan.problems.length > 0) {
      await appendStepSummary(ctx, () => renderPlanMarkdown(plan, { title: "meshdeploy apply: nothing applied", context: opened.target.label }));
      if (args.output === "json") writeApplyJson(ctx, applyToJson(plan, null, "refused"));
      throw planProblemsError(plan, { shown: true, applying: true });
    }
    if (!hasChanges(plan)) {
      await appendStepSummary(ctx, () => renderPlanMarkdown(plan, { title: "meshdeploy apply", context: opened.target.label }));
      return executeHealth(opened.target, run, args, ctx);
    }
    const overLimit = deleteLimitError(plan, args.maxDeletes);
    if (overLimit !== null) throw overLimit;
    if (!(await approveApply(plan, { yes: args.yes, local: args.local }, ctx, out))) return 1;
    return executeRun(opened.target, run, args, ctx);
  });
}
