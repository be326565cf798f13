// The cap on deletes per run (`--max-deletes N`): a plan that deletes more is refused before any
// write, naming the flag, so a config that lost most of its services by mistake (a bad merge, a
// wrong -f, an emptied file) cannot take the rooms with it. Pure.
import { MeshdeployError } from "../errors.js";
import type { Plan } from "./types.js";

/** Enough for ordinary clean-ups; a larger one is a decision (`--max-deletes N`). */
export const DEFAULT_MAX_DELETES = 10;

export function deleteLimitError(plan: Plan, maxDeletes: number | undefined): MeshdeployError | null {
  const deletes = plan.summary.delete;
  if (maxDeletes === undefined || deletes <= maxDeletes) return null;
  return new MeshdeployError("E_MAX_DELETES", `the plan deletes ${deletes} service${deletes === 1 ? "" : "s"}, more than --max-deletes ${maxDeletes} allows; nothing was changed`, {
    hint: `review the deletes in the plan; if every one is intended, run again with --max-deletes ${deletes}`,
  });
}
