// `meshdeploy status`: per declared service, its health (read now, not waited for), what it runs
// and whether the live spec matches the config. Exit 1 when any is not live (disabled is fine).
// A read: nothing is written, nothing is built.
import { UsageError } from "../../errors.js";
import { renderStatus, statusFails, statusRows, statusToJson } from "../../output/status.js";
import { runHealth, SETTLE_MS } from "../../reconcile.js";
import { targetingNote } from "../../output/render-plan.js";
import { environmentNote, printer, type CommandContext } from "./context.js";
import { withFreshPlan } from "./fresh-plan.js";
import type { TargetFlags } from "./open-target.js";
import type { Targets } from "../../model/targets.js";

export const STATUS_OUTPUTS = ["human", "json"] as const;

export interface StatusArgs extends TargetFlags {
  file: string | undefined;
  output: string;
  /** `--service`/`--room`/`--exclude` (model/targets.ts); undefined: the whole config. */
  targets?: Targets | undefined;
}

export async function statusCommand(args: StatusArgs, ctx: CommandContext): Promise<number> {
  if (!(STATUS_OUTPUTS as readonly string[]).includes(args.output)) throw new UsageError(`status: --output expects ${STATUS_OUTPUTS.join(", ")}; got "${args.output}"`);
  const { out, err, style } = printer(ctx);
  return withFreshPlan({ ...args, prune: false }, ctx, async ({ desired, opened, run }) => {
    const health = await runHealth(opened.target, run, { waitTimeoutMs: SETTLE_MS, signal: ctx.io.signal });
    const rows = statusRows(run.plan, run.live, health);
    if (args.output === "json") out(JSON.stringify(statusToJson(rows), null, 2));
    else {
      const note = targetingNote(run.plan);
      err(style.dim(`meshdeploy status · ${opened.target.label}${environmentNote(desired.environment)} · owner ${desired.owner}${note === null ? "" : ` · ${note.replace(/ \(.*$/, " (only these services)")}`}`));
      for (const line of renderStatus(rows, style)) out(line);
    }
    return statusFails(rows) ? 1 : 0;
  });
}
