// The engine: load → resolve names → read contexts → read live → plan (pure) → check secrets →
// apply. The three ways meshdeploy runs (CI, watch, sync) all go through these two functions.
import path from "node:path";
import { applyPlan, type ApplyOptions, type ApplyResult } from "../apply/apply-plan.js";
import { HashCache } from "../build/context-hash.js";
import type { DesiredState } from "../config/desired.js";
import type { ResolvedService } from "../model/wire.js";
import { computePlan } from "../plan/compute-plan.js";
import type { Plan } from "../plan/types.js";
import type { Target } from "../target/target.js";
import { requireSecrets } from "./check-secrets.js";
import { ContextManifests } from "./context-manifests.js";
import { readContexts } from "./read-contexts.js";
import { readLive } from "./read-live.js";
import { resolveNames } from "./resolve-names.js";

export interface EngineOptions {
  /** `--prune` forces prune on; otherwise the config's `prune:` decides. */
  prune?: boolean;
  /** Create missing rooms first (the embedded local room only). */
  createRooms?: boolean;
  /** Content hashes kept across runs of one process (watch mode passes the same one each time). */
  hashCache?: HashCache;
}

export interface Reconciliation {
  desired: DesiredState;
  services: ResolvedService[];
  plan: Plan;
  hashCache: HashCache;
  manifests: ContextManifests;
}

export async function planDesired(target: Target, desired: DesiredState, options: EngineOptions = {}): Promise<Reconciliation> {
  const hashCache = options.hashCache ?? new HashCache();
  const manifests = new ContextManifests(path.dirname(desired.file));
  const named = await resolveNames(desired, target);
  const services = await readContexts(named, { cache: hashCache, manifests });
  const live = await readLive(target, services, { owner: desired.owner, createRooms: options.createRooms ?? false });
  const plan = computePlan(services, live, { owner: desired.owner, prune: options.prune === true || desired.prune });
  return { desired, services, plan, hashCache, manifests };
}

/** Checks every referenced secret first (nothing changes when one is missing), then applies. */
export async function applyRun(target: Target, run: Reconciliation, options: Omit<ApplyOptions, "hashCache" | "onBuilt">): Promise<ApplyResult> {
  await requireSecrets(target, run.plan, run.services);
  return applyPlan(target, run.plan, {
    ...options,
    hashCache: run.hashCache,
    onBuilt: (service, built) => run.manifests.set(service.room, service.name, { hash: built.hash, files: Object.fromEntries(built.files) }),
  });
}
