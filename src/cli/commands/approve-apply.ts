// Whether `apply` may go ahead with a fresh plan, like Terraform's: a question only when stdin is
// a terminal; with changes, no terminal and no --yes, a refusal (exit 1, nothing changed) with
// the way out; `n` is "Apply cancelled" (exit 1). One exception keeps the README's first command
// a one-liner: against the embedded room (--local, nothing outside this machine) creates and
// updates go ahead unasked — deletes still need the answer. A saved plan never comes here: it was
// the review (apply-saved.ts).
import { MeshdeployError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import type { CommandContext } from "./context.js";

export type Approval = "proceed" | "ask" | "refuse";

/** Pure: what a fresh plan with changes needs before apply may write. */
export function approvalFor(plan: Plan, flags: { yes: boolean; local: boolean; interactive: boolean }): Approval {
  if (flags.yes) return "proceed";
  if (flags.local && plan.summary.delete === 0) return "proceed";
  return flags.interactive ? "ask" : "refuse";
}

/** true: apply; false: the user said no ("Apply cancelled" was printed). Throws E_CONFIRM when no one can be asked. */
export async function approveApply(plan: Plan, flags: { yes: boolean; local: boolean }, ctx: CommandContext, out: (line: string) => void): Promise<boolean> {
  const approval = approvalFor(plan, { ...flags, interactive: ctx.io.interactive });
  if (approval === "proceed") return true;
  if (approval === "refuse") {
    const deletes = plan.summary.delete;
    const what = deletes > 0 ? `the plan deletes ${deletes} service${deletes === 1 ? "" : "s"}` : "the plan changes services";
    throw new MeshdeployError("E_CONFIRM", `${what} and stdin is not a terminal, so apply cannot ask for confirmation; nothing was changed`, {
      hint: "review the plan above, then run apply again with --yes (or save it with `meshdeploy plan --out plan.json` and run `meshdeploy apply plan.json`)",
    });
  }
  const question = plan.summary.delete > 0 ? `Apply these changes, including ${plan.summary.delete} delete${plan.summary.delete === 1 ? "" : "s"}?` : "Apply these changes?";
  if (await ctx.io.confirm(question)) return true;
  out("Apply cancelled; nothing was changed.");
  return false;
}
