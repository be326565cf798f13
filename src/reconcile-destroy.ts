// planDestroy: the plan that deletes every service this owner manages, in every room of the
// project, with the routes meshdeploy created for them. It is the prune plan of the same config
// with nothing declared (planDesired with prune on), so it takes the very path prune takes — the
// project-wide room read, the trusted-owner rule, `protect`, the delete cap at apply — and every
// guard added there applies to destroy too. Apply it with applyRun.
import type { DesiredState } from "./model/desired.js";
import { planDesired, type EngineOptions, type Reconciliation } from "./reconcile.js";
import type { Target } from "./platform/target.js";

export async function planDestroy(target: Target, desired: DesiredState, options: Pick<EngineOptions, "requireClean"> = {}): Promise<Reconciliation> {
  // Only this owner's services: earlier owners the config adopts are not destroyed with it.
  const nothing: DesiredState = { ...desired, services: [], previousOwners: [] };
  const run = await planDesired(target, nothing, { ...options, prune: true, createRooms: false });
  const services = run.plan.services.map((s) => (s.type === "delete" ? { ...s, reason: `owned by ${desired.owner} (destroy)` } : s));
  return { ...run, desired, plan: { ...run.plan, services } };
}
