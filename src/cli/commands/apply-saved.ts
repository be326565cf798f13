// `meshdeploy apply PLAN.json`: read the plan file and the config, let replanSaved (reconcile-saved.ts)
// refuse a stale plan (nothing changed, exit 1) or hand back exactly the saved actions, print and
// apply them. A plan made with --service/--room/--exclude applies under those targets; other
// targets given here are refused. The plan was reviewed, so there is no confirmation prompt (as Terraform's `apply PLANFILE`).
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { replanSaved, retargetingError } from "../../reconcile-saved.js";
import { MeshdeployError } from "../../errors.js";
import { readProvenance } from "../../git/provenance.js";
import { requireClean } from "../../git/require-clean.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import { renderPlan } from "../../output/render-plan.js";
import { hasChanges } from "../../plan/types.js";
import { executeHealth, executeRun, humanLines, type ApplyArgs } from "./execute-run.js";
import { configVariables, printer, type CommandContext } from "./context.js";
import { openTarget } from "./open-target.js";
import { readPlanFile, savedTarget } from "./plan-file.js";
import { appendStepSummary } from "./step-summary.js";

export async function applySavedPlan(given: ApplyArgs & { planFile: string }, ctx: CommandContext): Promise<number> {
  const { err, style } = printer(ctx);
  const out = humanLines(given, ctx);
  const planFile = path.resolve(ctx.io.cwd, given.planFile);
  const saved = await readPlanFile(planFile);
  // Targets given must be the plan's own; none given: the recorded ones apply (replanSaved).
  const retargeted = retargetingError(saved, given.targets);
  if (retargeted !== null) throw retargeted;
  // A plan made against the embedded local room applies there without repeating --local (the
  // target is part of the plan); an explicit --api-url still wins and is refused as stale.
  const args = saved.target.apiUrl === "local" && given.apiUrl === undefined ? { ...given, local: true } : given;
  const configFile = path.resolve(ctx.io.cwd, args.file ?? saved.config.path);
  // The environment is part of the reviewed plan: it is used again, and any other choice refused.
  const recorded = saved.plan.environment;
  const chosen = configVariables(args, ctx.io).environment;
  if (chosen !== undefined && chosen !== recorded) {
    const made = recorded === undefined ? "without an environment" : `for environment ${recorded}`;
    throw new MeshdeployError("E_STALE_PLAN", `the saved plan ${path.relative(ctx.io.cwd, planFile) || planFile} was made ${made}, not for ${chosen}; nothing was changed`, {
      hint: recorded === undefined ? "apply it without -e (and MESHDEPLOY_ENVIRONMENT unset), or make a plan with -e" : `apply it with -e ${recorded} or without -e, or make a new plan with -e ${chosen}`,
    });
  }
  const desired = await loadConfig(configFile, { env: ctx.io.env, ...(recorded === undefined ? {} : { environment: recorded }) });
  // The plan file itself may sit untracked in the work tree; it does not make the tree dirty.
  if (args.requireClean === true) requireClean(await readProvenance(configFile), [planFile]);
  const opened = await openTarget(args, desired, ctx.io, ctx.redactor);
  try {
    const shown = path.relative(ctx.io.cwd, planFile) || planFile;
    err(style.dim(`meshdeploy apply ${shown} · ${opened.target.label}${recorded === undefined ? "" : ` · environment ${recorded}`} · plan made ${saved.createdAt}`));
    const replanned = await replanSaved(opened.target, saved, desired, { target: savedTarget(args, opened.target.projectId, ctx.io.env), createRooms: opened.createRooms });
    if (replanned.stale) {
      const message = [`the saved plan ${shown} is stale; nothing was changed:`, ...replanned.reasons.map((r) => `  ${r}`)].join("\n");
      await appendStepSummary(ctx, ["### meshdeploy apply: stale plan refused", "", "```", message, "```"]);
      throw new MeshdeployError("E_STALE_PLAN", message, { hint: "make a new plan (meshdeploy plan --out PLAN.json), review it, and apply that" });
    }
    const { run } = replanned;
    for (const line of renderPlan(run.plan, style)) out(line);
    if (!hasChanges(run.plan)) {
      await appendStepSummary(ctx, () => renderPlanMarkdown(run.plan, { title: "meshdeploy apply", context: opened.target.label }));
      return await executeHealth(opened.target, run, args, ctx);
    }
    return await executeRun(opened.target, run, args, ctx);
  } finally {
    await opened.close();
  }
}
