// `meshdeploy apply PLAN.json`: re-read the config and the rooms, refuse (nothing changed, exit 1)
// when the target, the config, a touched live service or a build context moved since the plan was
// made, and otherwise apply exactly the saved actions — nothing more. The plan was reviewed, so
// there is no confirmation prompt (as Terraform's `apply PLANFILE`).
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { planDesired } from "../../reconcile.js";
import { MeshdeployError } from "../../errors.js";
import { readProvenance } from "../../git/provenance.js";
import { requireClean } from "../../git/require-clean.js";
import { renderPlanMarkdown } from "../../output/render-plan-markdown.js";
import { renderPlan } from "../../output/render-plan.js";
import { rebasePlan } from "../../plan/saved/saved-plan.js";
import { staleReasons } from "../../plan/saved/stale-plan.js";
import { hasChanges } from "../../plan/types.js";
import { executeRun, type ApplyArgs } from "./execute-run.js";
import { printer, type CommandContext } from "./context.js";
import { openTarget } from "./open-target.js";
import { readPlanFile, savedTarget } from "./plan-file.js";
import { appendStepSummary } from "./step-summary.js";

export async function applySavedPlan(given: ApplyArgs & { planFile: string }, ctx: CommandContext): Promise<number> {
  const { out, err, style } = printer(ctx);
  const planFile = path.resolve(ctx.io.cwd, given.planFile);
  const saved = await readPlanFile(planFile);
  // A plan made against the embedded local room applies there without repeating --local (the
  // target is part of the plan); an explicit --api-url still wins and is refused as stale.
  const args = saved.target.apiUrl === "local" && given.apiUrl === undefined ? { ...given, local: true } : given;
  const configFile = path.resolve(ctx.io.cwd, args.file ?? saved.config.path);
  const desired = await loadConfig(configFile, { env: ctx.io.env });
  // The plan file itself may sit untracked in the work tree; it does not make the tree dirty.
  if (args.requireClean === true) requireClean(await readProvenance(configFile), [planFile]);
  const opened = await openTarget(args, desired.project, ctx.io, ctx.redactor);
  try {
    const shown = path.relative(ctx.io.cwd, planFile) || planFile;
    err(style.dim(`meshdeploy apply ${shown} · ${opened.target.label} · plan made ${saved.createdAt}`));
    // Re-list the rooms (and re-hash build contexts) exactly as the plan did.
    const run = await planDesired(opened.target, desired, { prune: saved.plan.prune, createRooms: opened.createRooms });
    const reasons = staleReasons(saved, { desired, target: savedTarget(args, opened.target.projectId, ctx.io.env), live: run.live, services: run.services });
    if (reasons.length > 0) {
      const message = [`the saved plan ${shown} is stale; nothing was changed:`, ...reasons.map((r) => `  ${r}`)].join("\n");
      await appendStepSummary(ctx, ["### meshdeploy apply: stale plan refused", "", "```", message, "```"]);
      throw new MeshdeployError("E_STALE_PLAN", message, { hint: "make a new plan (meshdeploy plan --out PLAN.json), review it, and apply that" });
    }
    const plan = rebasePlan(saved, path.dirname(configFile));
    for (const line of renderPlan(plan, style)) out(line);
    if (!hasChanges(plan)) {
      await appendStepSummary(ctx, renderPlanMarkdown(plan, { title: "meshdeploy apply", context: opened.target.label }));
      return 0;
    }
    return await executeRun(opened.target, { ...run, plan }, args, ctx);
  } finally {
    await opened.close();
  }
}
