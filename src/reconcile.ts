// The engine: load → resolve names → read contexts → read live → plan (pure) → check secrets →
// apply. The three ways meshdeploy runs (CI, watch, sync) all go through these two functions.
// Provenance (git commit, dirty flag, source) is read in the read phase and handed to the
// planner as plain data.
import path from "node:path";
import { applyPlan, type ApplyResult, type RunOptions } from "./apply/apply-plan.js";
import type { HashCache } from "./build-context/context-hash.js";
import { loadHashCache, saveHashCache } from "./build-context/hash-cache-file.js";
import type { DesiredState } from "./model/desired.js";
import { planProvenance, readProvenance, type GitProvenance } from "./git/provenance.js";
import { requireClean } from "./git/require-clean.js";
import type { ResolvedService } from "./model/wire.js";
import { computePlan } from "./plan/compute-plan.js";
import type { LiveRoom, Plan } from "./plan/types.js";
import type { Target } from "./platform/target.js";
import { requireSecrets } from "./read/check-secrets.js";
import { ContextManifests } from "./read/context-manifests.js";
import { readContexts } from "./read/read-contexts.js";
import { readLive } from "./read/read-live.js";
import { resolveNames } from "./read/resolve-names.js";
import { stateDirOf } from "./state-dir.js";

export interface EngineOptions {
  /** `--prune` forces prune on; otherwise the config's `prune:` decides. */
  prune?: boolean;
  /** Create missing rooms first (the embedded local room only). */
  createRooms?: boolean;
  /** Content hashes kept across runs of one process (watch mode passes the same one each time). */
  hashCache?: HashCache;
  /** Refuse (before any request) when the config's git work tree has uncommitted changes. */
  requireClean?: boolean;
}

export interface Reconciliation {
  desired: DesiredState;
  services: ResolvedService[];
  plan: Plan;
  hashCache: HashCache;
  manifests: ContextManifests;
  /** What the read phase found (saved plans fingerprint it). */
  live: Record<string, LiveRoom>;
  /** null when the config is not in a git tree. */
  provenance: GitProvenance | null;
}

export async function planDesired(target: Target, desired: DesiredState, options: EngineOptions = {}): Promise<Reconciliation> {
  // git runs while the rooms are read; --require-clean must refuse before any request, so it waits.
  const gitRead = readProvenance(desired.file);
  gitRead.catch(() => {});
  // Read while names and contexts resolve (cached by the target; shares GET /config with naming).
  const platformRead = target.platform();
  platformRead.catch(() => {});
  if (options.requireClean === true) requireClean(await gitRead);
  // A watch session keeps its own cache; a one-shot run reuses the last run's (.meshdeploy/).
  const hashCache = options.hashCache ?? loadHashCache(stateDirOf(desired.file));
  const manifests = new ContextManifests(path.dirname(desired.file));
  const named = await resolveNames(desired, target);
  const services = await readContexts(named, { cache: hashCache, manifests, exclude: stateDirs(desired) });
  if (options.hashCache === undefined) await saveHashCache(stateDirOf(desired.file), hashCache);
  const live = await readLive(target, services, { owner: desired.owner, createRooms: options.createRooms ?? false });
  const git = await gitRead;
  const provenance = git.ok ? git.provenance : null;
  const platform = await platformRead;
  const plan = {
    ...computePlan(services, live, {
      owner: desired.owner,
      prune: options.prune === true || desired.prune,
      provenance: provenance === null ? null : planProvenance(provenance),
      platform,
    }),
    platform: { version: platform.version, source: platform.source },
  };
  return { desired, services, plan, hashCache, manifests, live, provenance };
}

/** meshdeploy's own state beside the config, never part of a build context (see WalkOptions.exclude). */
function stateDirs(desired: DesiredState): string[] {
  return [stateDirOf(desired.file)];
}

/** Checks every referenced secret first (nothing changes when one is missing), then applies. */
export async function applyRun(target: Target, run: Reconciliation, options: RunOptions): Promise<ApplyResult> {
  await requireSecrets(target, run.plan, run.services, (line) => options.onEvent?.({ type: "warning", line }));
  return applyPlan(target, run.plan, {
    ...options,
    hashCache: run.hashCache,
    packExclude: stateDirs(run.desired),
    onBuilt: (service, built) => run.manifests.set(service.room, service.name, { hash: built.hash, files: Object.fromEntries(built.files) }),
  });
}
