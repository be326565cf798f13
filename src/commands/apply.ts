// `meshdeploy apply`: plan, show the plan, confirm on a terminal (unless --yes), apply, report.
import path from "node:path";
import { loadConfig } from "../config/load.js";
import { applyRun, planDesired } from "../engine/reconcile.js";
import { MeshdeployError } from "../errors.js";
import { eventLine, renderApplySummary } from "../output/render-apply.js";
import { renderPlan } from "../output/render-plan.js";
import { hasChanges } from "../plan/types.js";
import { DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";
import { openTarget, type TargetFlags } from "./open-target.js";

export interface ApplyArgs extends TargetFlags {
  file: string | undefined;
  prune: boolean;
  yes: boolean;
  concurrency: number;
  wait: boolean;
  waitTimeoutSeconds: number;
}

export async function applyCommand(args: ApplyArgs, ctx: CommandContext): Promise<number> {
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const { out, err, style } = printer(ctx);
  const desired = await loadConfig(file);
  const opened = await openTarget(args, desired.project, ctx.io, ctx.redactor);
  try {
    err(style.dim(`meshdeploy apply · ${opened.target.label} · owner ${desired.owner}`));
    const run = await planDesired(opened.target, desired, { prune: args.prune, createRooms: opened.createRooms });
    const { plan } = run;
    for (const line of renderPlan(plan, style)) out(line);
    if (plan.problems.length > 0) throw new MeshdeployError("E_CONFLICT", `the plan has ${plan.problems.length} problem(s); nothing was changed`, { hint: "fix them (see above) and apply again" });
    if (!hasChanges(plan)) return 0;
    if (ctx.io.interactive && !args.yes && !(await ctx.io.confirm("Apply these changes?"))) {
      out("Apply cancelled; nothing was changed.");
      return 0;
    }
    out("");
    const result = await applyRun(opened.target, run, {
      concurrency: args.concurrency,
      signal: ctx.io.signal,
      wait: args.wait,
      waitTimeoutMs: args.waitTimeoutSeconds * 1000,
      onEvent: (event) => {
        const line = eventLine(event, style);
        if (line !== null) out(line);
      },
    });
    out("");
    for (const line of renderApplySummary(result, style)) out(line);
    if (result.summary.skipped > 0 && ctx.io.signal.aborted) throw new MeshdeployError("E_INTERRUPTED", "apply interrupted; services already started were finished");
    if (result.summary.failed > 0) throw new MeshdeployError("E_APPLY", `${result.summary.failed} service(s) failed`);
    return 0;
  } finally {
    await opened.close();
  }
}
