// Applying exactly a reviewed plan (Terraform's `apply PLANFILE`): re-read the rooms and re-hash
// the build contexts as the plan did, refuse when the target, the config, a touched live service
// or a build context moved since, and otherwise hand back the saved actions — nothing more —
// rebased onto this checkout, ready for applyRun. Usable without the CLI: no printing, no files.
import path from "node:path";
import type { DesiredState } from "./model/desired.js";
import type { SavedPlan, SavedTarget } from "./plan/saved/saved-plan.js";
import { rebasePlan } from "./plan/saved/saved-plan.js";
import { staleReasons } from "./plan/saved/stale-plan.js";
import type { Target } from "./platform/target.js";
import { planDesired, type Reconciliation } from "./reconcile.js";

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

export async function replanSaved(target: Target, saved: SavedPlan, desired: DesiredState, options: SavedReplanOptions): Promise<SavedReplan> {
  const run = await planDesired(target, desired, { prune: saved.plan.prune, createRooms: options.createRooms ?? false, adoptFrom: saved.plan.adoptFrom ?? [] });
  const reasons = staleReasons(saved, { desired, target: options.target, live: run.live, services: run.services, ...(run.plan.platform ? { platform: run.plan.platform.version } : {}) });
  if (reasons.length > 0) return { stale: true, reasons };
  return { stale: false, run: { ...run, plan: rebasePlan(saved, path.dirname(desired.file)) } };
}
