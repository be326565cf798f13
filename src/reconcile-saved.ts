// Applying exactly a reviewed plan (Terraform's `apply PLANFILE`): re-read the rooms and re-hash
// the build contexts as the plan did, refuse when the target, the config, a touched live service
// or a build context moved since, and otherwise hand back the saved actions — nothing more —
// rebased onto this checkout, ready for applyRun. A targeted plan (`plan --service …`) is re-read
// under the targets it recorded; targets given now must be those (retargetingError). Usable without the CLI: no printing, no files.
import path from "node:path";
import type { DesiredState } from "./model/desired.js";
import type { SavedPlan, SavedTarget } from "./plan/saved/saved-plan.js";
import { rebasePlan } from "./plan/saved/saved-plan.js";
import { staleReasons } from "./plan/saved/stale-plan.js";
import type { Target } from "./platform/target.js";
import { planDesired, type Reconciliation } from "./reconcile.js";
import { UsageError } from "./errors.js";
import { describeTargets, isTargeting, sameTargets, type Targets } from "./model/targets.js";

export interface SavedReplanOptions {
  /** The target this apply is bound to (compared with the one the plan was made for). */
  target: SavedTarget;
  /** Create missing rooms first (the embedded local room only). */
  createRooms?: boolean;
}

export type SavedReplan =
  /** Nothing moved: `run.plan` is exactly the saved plan. */
  | { stale: false; run: Reconciliation }
  /** One line per thing that moved; nothing may be applied. */
  | { stale: true; reasons: string[] };

/**
 * `apply PLAN.json --service …`: targets given with a saved plan must be the ones it was made
 * with (the reviewed plan is what is applied, never a narrower or wider one); null when they are,
 * or when none are given (the recorded ones apply).
 */
export function retargetingError(saved: SavedPlan, given: Targets | undefined): UsageError | null {
  if (!isTargeting(given) || sameTargets(saved.plan.targets, given)) return null;
  const made = isTargeting(saved.plan.targets) ? `with ${describeTargets(saved.plan.targets)}` : "without targeting (for the whole config)";
  return new UsageError(
    `apply: the saved plan was made ${made}; this apply asks for ${describeTargets(given)}; nothing was changed`,
    `apply the plan as it was made (\`meshdeploy apply PLAN.json\` applies its recorded targets), or make a new one: meshdeploy plan ${describeTargets(given)} --out PLAN.json`,
  );
}

export async function replanSaved(target: Target, saved: SavedPlan, desired: DesiredState, options: SavedReplanOptions): Promise<SavedReplan> {
  // A targeted plan is re-read with its own targets: the same rooms, the same contexts.
  const targets = saved.plan.targets === undefined ? {} : { targets: saved.plan.targets };
  let run: Reconciliation;
  try {
    run = await planDesired(target, desired, { prune: saved.plan.prune, createRooms: options.createRooms ?? false, adoptFrom: saved.plan.adoptFrom ?? [], ...targets });
  } catch (error) {
    // The config changed so that the recorded targets name nothing now: stale, not a usage error.
    if (!(error instanceof UsageError) || !isTargeting(saved.plan.targets)) throw error;
    return { stale: true, reasons: [`config: the plan's targets (${describeTargets(saved.plan.targets)}) no longer match the config: ${error.message.replace(/^targeting: /, "").replace(/; nothing was changed$/, "")}`] };
  }
  const reasons = staleReasons(saved, { desired, target: options.target, live: run.live, services: run.services, ...(run.plan.platform ? { platform: run.plan.platform.version } : {}) });
  if (reasons.length > 0) return { stale: true, reasons };
  return { stale: false, run: { ...run, plan: rebasePlan(saved, path.dirname(desired.file)) } };
}
