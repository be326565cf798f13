// planDestroy: the plan that deletes every service this owner manages, in every room of the
// project, with the routes meshdeploy created for them. It is the prune plan of an empty config
// (computePlan with prune on and nothing declared), so it goes through the same delete path as
// prune, and the guards added to that path apply to destroy too. Apply it with applyRun.
import path from "node:path";
import { HashCache } from "./build-context/context-hash.js";
import type { DesiredState } from "./model/desired.js";
import { computePlan } from "./plan/compute-plan.js";
import type { Target } from "./platform/target.js";
import { ContextManifests } from "./read/context-manifests.js";
import { readLive } from "./read/read-live.js";
import type { Reconciliation } from "./reconcile.js";

export async function planDestroy(target: Target, desired: DesiredState): Promise<Reconciliation> {
  const [platform, rooms] = await Promise.all([target.platform(), target.listRooms()]);
  // Only rooms that exist can hold services; a room the config names but the project lacks is skipped.
  const live = await readLive(target, [], { owner: desired.owner, createRooms: false, extraRooms: rooms });
  const planned = computePlan([], live, { owner: desired.owner, prune: true, platform });
  const plan = {
    ...planned,
    services: planned.services.map((s) => ({ ...s, reason: `owned by ${desired.owner} (destroy)` })),
    platform: { version: platform.version, source: platform.source, ...(platform.warning === undefined ? {} : { warning: platform.warning }) },
  };
  return { desired, services: [], plan, hashCache: new HashCache(), manifests: new ContextManifests(path.dirname(desired.file)), live, provenance: null };
}
