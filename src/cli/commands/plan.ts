// `meshdeploy plan`: read, plan, print (human, JSON or Markdown). With --detailed-exitcode: 2 when
// changes exist. With --out: save the plan for `apply PLAN.json`. Under GitHub Actions the
// Markdown also goes to the step summary.
import { planProblemsError, warningDiagnostics } from "./plan-problems.js";
import { githubAnnotations } from "../../output/github-annotations.js";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { planToJson } from "../../output/render-plan-json.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import { renderPlan } from "../../output/render-plan.js";
import { createSavedPlan } from "../../plan/saved/saved-plan.js";
import { DEFAULT_MAX_DELETES, deleteLimitError } from "../../plan/delete-limit.js";
import { hasChanges, type Plan } from "../../plan/types.js";
import { environmentNote, printer, type CommandContext } from "./context.js";
import { withFreshPlan } from "./fresh-plan.js";
import type { TargetFlags } from "./open-target.js";
import { describeOwner } from "../../model/owner.js";
import { describePlatform } from "../../model/platform.js";
import type { Targets } from "../../model/targets.js";
import { MESHDEPLOY_VERSION } from "../../version.js";
import { savedTarget, writePlanFile } from "./plan-file.js";
import { appendStepSummary } from "./step-summary.js";
import { healthError, unhealthy } from "../../apply/check-health.js";
import { renderHealth } from "../../output/render-health.js";
import { runHealth, SETTLE_MS } from "../../reconcile.js";

export const PLAN_OUTPUTS = ["human", "json", "markdown"] as const;

export interface PlanArgs extends TargetFlags {
  file: string | undefined;
  detailedExitcode: boolean;
  output: string;
  prune: boolean;
  /** `--adopt-from OWNER` (repeatable). */
  adoptFrom?: string[];
  /** `--max-deletes N`: the cap apply will hold the plan to (a warning here, a refusal there). */
  maxDeletes?: number;
  verbose: boolean;
  /** Save the plan to this file (`apply FILE` applies exactly it). */
  out?: string | undefined;
  requireClean?: boolean;
  /** --health: also read the health of every declared service (not waited for); exit 1 when one is not live. */
  health?: boolean;
  /** false: --no-secret-check. */
  secretCheck?: boolean;
  /** false: --no-rebuild-on-adopt. */
  rebuildOnAdopt?: boolean;
  /** `--service`/`--room`/`--exclude` (model/targets.ts); undefined: the whole config. */
  targets?: Targets | undefined;
}

/** ` · MeshAgent 0.50.1 (reported by the server) · commit 1a2b3c4 (uncommitted changes)` for headers. */
export function commitNote(plan: Plan): string {
  const platform = plan.platform ? ` · ${describePlatform(plan.platform)}` : "";
  if (!plan.provenance) return platform;
  return `${platform} · commit ${plan.provenance.gitSha.slice(0, 7)}${plan.provenance.gitDirty ? " (uncommitted changes)" : ""}`;
}

/** The header's second line when the server's version was a guess (garbled, or newer than any known). */
export function platformWarning(plan: Plan): string | null {
  return plan.platform?.warning === undefined ? null : `warning: ${plan.platform.warning}`;
}

export async function planCommand(args: PlanArgs, ctx: CommandContext): Promise<number> {
  if (!(PLAN_OUTPUTS as readonly string[]).includes(args.output)) throw new UsageError(`plan: --output expects ${PLAN_OUTPUTS.join(", ")}; got "${args.output}"`);
  const { out, err, style } = printer(ctx);
  // Loads the config before opening the target: a bad config changes nothing and starts nothing.
  return withFreshPlan(args, ctx, async ({ file, desired, opened, run }) => {
    const { plan } = run;
    // Markdown is rendered only when asked for (-o markdown or a GitHub step summary).
    let markdown: string[] | null = null;
    const renderMarkdown = (): string[] => (markdown ??= renderPlanMarkdown(plan, { context: opened.target.label }));
    if (args.output === "json") {
      out(JSON.stringify(planToJson(plan), null, 2));
      ctx.jsonWritten = true;
    } else if (args.output === "markdown") for (const line of renderMarkdown()) out(line);
    else {
      err(style.dim(`meshdeploy plan · ${opened.target.label}${environmentNote(plan.environment)} · owner ${describeOwner(plan.owner, plan.ownerSource)}${commitNote(plan)}`));
      const warning = platformWarning(plan);
      if (warning !== null) err(style.yellow(warning));
      for (const line of renderPlan(plan, style, { verbose: args.verbose, cwd: ctx.io.cwd })) out(line);
      // Under GitHub Actions a located warning is a `::warning` on its line, as problems are `::error`s.
      if (ctx.io.env["GITHUB_ACTIONS"] === "true") for (const line of githubAnnotations(warningDiagnostics(plan), ctx.io.env["GITHUB_WORKSPACE"] || ctx.io.cwd, "warning")) out(line);
    }
    for (const line of run.secrets?.check.unchecked ?? []) err(style.yellow(`warning: ${line}`));
    const overLimit = deleteLimitError(plan, args.maxDeletes ?? DEFAULT_MAX_DELETES);
    if (overLimit !== null) err(style.yellow(`! apply would refuse this plan: ${overLimit.message.replace(/; nothing was changed$/, "")} (${overLimit.hint ?? ""})`));
    await appendStepSummary(ctx, renderMarkdown);
    if (plan.problems.length > 0) throw planProblemsError(plan, { shown: args.output === "human", applying: false });
    if (args.out !== undefined) {
      const planFile = path.resolve(ctx.io.cwd, args.out);
      const configPath = path.relative(ctx.io.cwd, file).split(path.sep).join("/") || file;
      const target = savedTarget(args, opened.target.projectId, ctx.io.env);
      await writePlanFile(planFile, createSavedPlan({ plan, desired, configPath, target, live: run.live, now: new Date(), version: MESHDEPLOY_VERSION }), ctx.redactor);
      const shown = path.relative(ctx.io.cwd, planFile) || planFile;
      err(`Saved the plan to ${shown}. Apply exactly this plan with: meshdeploy apply ${shown}${args.local ? " --local" : ""}${args.apiUrl !== undefined ? ` --api-url ${args.apiUrl}` : ""}`);
    }
    if (args.health === true) {
      const entries = await runHealth(opened.target, run, { waitTimeoutMs: SETTLE_MS, signal: ctx.io.signal });
      for (const line of renderHealth(entries, style)) (args.output === "human" ? out : err)(line);
      if (unhealthy(entries).length > 0) throw healthError(unhealthy(entries));
    } else if (args.output === "human") {
      err(style.dim("Health not checked: plan reads specs only (add --health, or run `meshdeploy status`)."));
    }
    return args.detailedExitcode && hasChanges(plan) ? 2 : 0;
  });
}

