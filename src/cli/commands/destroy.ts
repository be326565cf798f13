// `meshdeploy destroy`: delete every service this owner manages (in every room of the project)
// and the routes meshdeploy made for them. Asks when stdin is a terminal (`n`: exit 1); without
// one it needs --yes.
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { MeshdeployError } from "../../errors.js";
import { renderPlan } from "../../output/render-plan.js";
import { planDestroy } from "../../reconcile-destroy.js";
import { configVariables, DEFAULT_CONFIG, environmentNote, printer, type CommandContext } from "./context.js";
import { executeRun, type ApplyArgs } from "./execute-run.js";
import { openTarget } from "./open-target.js";
import { commitNote, platformWarning } from "./plan.js";

export async function destroyCommand(args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const { out, err, style } = printer(ctx);
  const desired = await loadConfig(path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG), configVariables(args, ctx.io));
  const opened = await openTarget(args, desired, ctx.io, ctx.redactor);
  try {
    const run = await planDestroy(opened.target, desired);
    const { plan } = run;
    err(style.dim(`meshdeploy destroy · ${opened.target.label}${environmentNote(desired.environment)} · owner ${desired.owner}${commitNote(plan)}`));
    const warning = platformWarning(plan);
    if (warning !== null) err(style.yellow(warning));
    if (plan.summary.delete === 0) {
      for (const w of plan.warnings ?? []) err(style.yellow(`! ${w}`));
      out(`Nothing to destroy: no service in the project is managed by owner ${desired.owner}.`);
      return 0;
    }
    for (const line of renderPlan(plan, style)) out(line);
    if (plan.problems.length > 0) throw new MeshdeployError("E_CONFLICT", `the plan has ${plan.problems.length} problem(s); nothing was deleted`, { hint: "fix them (see above) and destroy again" });
    const rooms = [...new Set(plan.services.map((s) => s.room))];
    const what = `${plan.summary.delete} service${plan.summary.delete === 1 ? "" : "s"} of owner ${desired.owner} in ${rooms.length === 1 ? `room ${rooms[0]}` : `rooms ${rooms.join(", ")}`}`;
    if (!args.yes) {
      if (!ctx.io.interactive) throw new MeshdeployError("E_CONFIRM", `destroy would delete ${what} and stdin is not a terminal, so it cannot ask for confirmation; nothing was deleted`, { hint: "review the deletes above, then run destroy again with --yes" });
      if (!(await ctx.io.confirm(`Destroy ${what}?`))) {
        out("Destroy cancelled; nothing was deleted.");
        return 1;
      }
    }
    return await executeRun(opened.target, run, args, ctx);
  } finally {
    await opened.close();
  }
}
