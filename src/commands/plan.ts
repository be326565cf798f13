// `meshdeploy plan`: read, plan, print. With --detailed-exitcode: 2 when changes exist.
import path from "node:path";
import { planDesired } from "../engine/reconcile.js";
import { MeshdeployError, UsageError } from "../errors.js";
import { planToJson } from "../output/render-plan-json.js";
import { renderPlan } from "../output/render-plan.js";
import { hasChanges } from "../plan/types.js";
import { DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";
import { openTarget, type TargetFlags } from "./open-target.js";
import { loadConfig } from "../config/load.js";

export interface PlanArgs extends TargetFlags {
  file: string | undefined;
  detailedExitcode: boolean;
  output: string;
  prune: boolean;
  verbose: boolean;
}

export async function planCommand(args: PlanArgs, ctx: CommandContext): Promise<number> {
  if (args.output !== "human" && args.output !== "json") throw new UsageError(`plan: --output expects human or json, got "${args.output}"`);
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const { out, err, style } = printer(ctx);
  // Load before opening the target: a bad config changes nothing and starts nothing.
  const desired = await loadConfig(file);
  const opened = await openTarget(args, desired.project, ctx.io, ctx.redactor);
  try {
    const { plan } = await planDesired(opened.target, desired, { prune: args.prune, createRooms: opened.createRooms });
    if (args.output === "json") out(JSON.stringify(planToJson(plan), null, 2));
    else {
      err(style.dim(`meshdeploy plan · ${opened.target.label} · owner ${plan.owner}`));
      for (const line of renderPlan(plan, style, { verbose: args.verbose })) out(line);
    }
    if (plan.problems.length > 0) throw new MeshdeployError("E_CONFLICT", `the plan has ${plan.problems.length} problem(s)`, { hint: "fix them (see above) and plan again" });
    return args.detailedExitcode && hasChanges(plan) ? 2 : 0;
  } finally {
    await opened.close();
  }
}
