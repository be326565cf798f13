// `meshdeploy plan`: read, plan, print (human, JSON or Markdown). With --detailed-exitcode: 2 when
// changes exist. With --out: save the plan for `apply PLAN.json`. Under GitHub Actions the
// Markdown also goes to the step summary.
import { planProblemsError } from "./plan-problems.js";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { planToJson } from "../../output/render-plan-json.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import { renderPlan } from "../../output/render-plan.js";
import { createSavedPlan } from "../../plan/saved/saved-plan.js";
import { hasChanges, type Plan } from "../../plan/types.js";
import { printer, type CommandContext } from "./context.js";
import { withFreshPlan } from "./fresh-plan.js";
import type { TargetFlags } from "./open-target.js";
import { describePlatform } from "../../model/platform.js";
import { MESHDEPLOY_VERSION } from "../../version.js";
import { savedTarget, writePlanFile } from "./plan-file.js";
import { appendStepSummary } from "./step-summary.js";

export const PLAN_OUTPUTS = ["human", "json", "markdown"] as const;

export interface PlanArgs extends TargetFlags {
  file: string | undefined;
  detailedExitcode: boolean;
  output: string;
  prune: boolean;
  verbose: boolean;
  /** Save the plan to this file (`apply FILE` applies exactly it). */
  out?: string | undefined;
  requireClean?: boolean;
}

/** ` · MeshAgent 0.50.1 (reported by the server) · commit 1a2b3c4 (uncommitted changes)` for headers. */
export function commitNote(plan: Plan): string {
  const platform = plan.platform ? ` · ${describePlatform(plan.platform)}` : "";
  if (!plan.provenance) return platform;
  return `${platform} · commit ${plan.provenance.gitSha.slice(0, 7)}${plan.provenance.gitDirty ? " (uncommitted changes)" : ""}`;
}

export async function planCommand(args: PlanArgs, ctx: CommandContext): Promise<number> {
  if (!(PLAN_OUTPUTS as readonly string[]).includes(args.output)) throw new UsageError(`plan: --output expects ${PLAN_OUTPUTS.join(", ")}; got "${args.output}"`);
  const { out, err, style } = printer(ctx);
  // Loads the config before opening the target: a bad config changes nothing and starts nothing.
  return withFreshPlan(args, ctx, async ({ file, desired, opened, run }) => {
    const { plan } = run;
    const markdown = renderPlanMarkdown(plan, { context: opened.target.label });
    if (args.output === "json") out(JSON.stringify(planToJson(plan), null, 2));
    else if (args.output === "markdown") for (const line of markdown) out(line);
    else {
      err(style.dim(`meshdeploy plan · ${opened.target.label} · owner ${plan.owner}${commitNote(plan)}`));
      for (const line of renderPlan(plan, style, { verbose: args.verbose, cwd: ctx.io.cwd })) out(line);
    }
    await appendStepSummary(ctx, markdown);
    if (plan.problems.length > 0) throw planProblemsError(plan, { shown: args.output === "human", applying: false });
    if (args.out !== undefined) {
      const planFile = path.resolve(ctx.io.cwd, args.out);
      const configPath = path.relative(ctx.io.cwd, file).split(path.sep).join("/") || file;
      const target = savedTarget(args, opened.target.projectId, ctx.io.env);
      await writePlanFile(planFile, createSavedPlan({ plan, desired, configPath, target, live: run.live, now: new Date(), version: MESHDEPLOY_VERSION }), ctx.redactor);
      const shown = path.relative(ctx.io.cwd, planFile) || planFile;
      err(`Saved the plan to ${shown}. Apply exactly this plan with: meshdeploy apply ${shown}${args.local ? " --local" : ""}${args.apiUrl !== undefined ? ` --api-url ${args.apiUrl}` : ""}`);
    }
    return args.detailedExitcode && hasChanges(plan) ? 2 : 0;
  });
}
