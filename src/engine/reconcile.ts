// The engine: load → resolve names → read live → plan (pure) → apply. The three ways meshdeploy
// runs (CI, watch, sync) all go through these two functions.
import type { DesiredState } from "../config/desired.js";
import { applyPlan, type ApplyOptions, type ApplyResult } from "../apply/apply-plan.js";
import { computePlan } from "../plan/compute-plan.js";
import type { Plan } from "../plan/types.js";
import type { Target } from "../target/target.js";
import { readLive } from "./read-live.js";
import { resolveNames } from "./resolve-names.js";

export interface PlanRunOptions {
  /** `--prune` forces prune on; otherwise the config's `prune:` decides. */
  prune?: boolean;
  createRooms?: boolean;
}

export async function planDesired(target: Target, desired: DesiredState, options: PlanRunOptions = {}): Promise<Plan> {
  const services = await resolveNames(desired, target);
  const live = await readLive(target, services, { owner: desired.owner, createRooms: options.createRooms ?? false });
  return computePlan(services, live, { owner: desired.owner, prune: options.prune === true || desired.prune });
}

export function applyRun(target: Target, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  return applyPlan(target, plan, options);
}
