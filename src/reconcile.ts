// The engine: load → resolve names → read contexts → read live → plan (pure) → check secrets →
// apply. The three ways meshdeploy runs (CI, watch, sync) all go through these two functions.
// Provenance (git commit, dirty flag, source) is read in the read phase and handed to the
// planner as plain data.
import path from "node:path";
import { applyPlan, restarts, type ApplyResult, type RunOptions, type ServiceResult } from "./apply/apply-plan.js";
import { checkHealth, type HealthEntry, type HealthSubject } from "./apply/check-health.js";
import type { HashCache } from "./build-context/context-hash.js";
import { loadHashCache, saveHashCache } from "./build-context/hash-cache-file.js";
import type { DesiredState } from "./model/desired.js";
import { MeshdeployError, UsageError } from "./errors.js";
import { planProvenance, readProvenance, type GitProvenance } from "./git/provenance.js";
import { requireClean } from "./git/require-clean.js";
import type { ResolvedService } from "./model/wire.js";
import { computePlan } from "./plan/compute-plan.js";
import { deleteLimitError } from "./plan/delete-limit.js";
import type { LiveRoom, Plan } from "./plan/types.js";
import type { Target } from "./platform/target.js";
import { checkSecrets, enforceSecrets, requireSecrets, secretProblems, type SecretCheck } from "./read/check-secrets.js";
import { hasFeature } from "./model/platform.js";
import { ContextManifests, manifestOf } from "./read/context-manifests.js";
import type { ContextPacks } from "./read/context-packs.js";
import { readContexts } from "./read/read-contexts.js";
import { readOwnedElsewhere } from "./read/read-elsewhere.js";
import { readLive } from "./read/read-live.js";
import { resolveNames } from "./read/resolve-names.js";
import { requireTargets } from "./read/select-targets.js";
import { describeTargets, isTargeting, type Targets } from "./model/targets.js";
import { stateDirOf } from "./state-dir.js";

export interface EngineOptions {
  /** `--prune` forces prune on; otherwise the config's `prune:` decides. */
  prune?: boolean;
  /** Create missing rooms first (the embedded local room only). */
  createRooms?: boolean;
  /** Content hashes kept across runs of one process (watch mode passes the same one each time). */
  hashCache?: HashCache;
  /** This run's packed contexts from its offline check (`plan`/`apply`): not walked and hashed again. Never a session's. */
  packs?: ContextPacks;
  /** Refuse (before any request) when the config's git work tree has uncommitted changes. */
  requireClean?: boolean;
  /** false: --no-rebuild-on-adopt (see PlanOptions.rebuildOnAdopt). */
  rebuildOnAdopt?: boolean;
  /**
   * Check at plan time that every referenced secret exists, a missing one being a plan problem
   * (`plan`/`apply` ask for it unless --no-secret-check). Default off: the loops (watch, sync) and
   * saved plans keep the check apply makes before writing, so a secret created later is picked up
   * by their retry instead of rejecting the commit.
   */
  secretCheck?: boolean;
  /** `--adopt-from`: earlier owners whose services this run takes over (with the config's `previousOwners:`). */
  adoptFrom?: readonly string[];
  /**
   * `--service`/`--room`/`--exclude`: act on these declared services only. Only their rooms are
   * read and only their contexts hashed; prune is off (`prune: true` asked for here is refused;
   * the config's `prune:` is not followed) and orphans are not listed.
   */
  targets?: Targets;
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
  /** The plan-time secret check (absent when skipped); apply reuses it instead of asking again. */
  secrets?: { check: SecretCheck; accountSecrets: boolean };
}

export async function planDesired(target: Target, desired: DesiredState, options: EngineOptions = {}): Promise<Reconciliation> {
  const targets = isTargeting(options.targets) ? options.targets : null;
  if (targets !== null && options.prune === true) throw pruneUnderTargeting(targets);
  const prune = targets === null && (options.prune === true || desired.prune);
  if (prune) requireTrustedOwner(desired);
  // git runs while the rooms are read; --require-clean must refuse before any request, so it waits.
  const gitRead = readProvenance(desired.file);
  gitRead.catch(() => {});
  // Read while names and contexts resolve (cached by the target; shares GET /config with naming).
  const platformRead = target.platform();
  platformRead.catch(() => {});
  if (options.requireClean === true) requireClean(await gitRead);
  // A watch session keeps its own cache, `plan`/`apply` pass the one they loaded (and save it);
  // any other one-shot run reuses and saves the last run's (.meshdeploy/).
  const hashCache = options.hashCache ?? loadHashCache(stateDirOf(desired.file));
  const manifests = new ContextManifests(path.dirname(desired.file));
  const resolved = await resolveNames(desired, target);
  // Targeting narrows the desired side before anything is read (rooms listed, contexts hashed).
  const named = targets === null ? resolved : requireTargets(resolved, targets);
  const services = await readContexts(named, { cache: hashCache, manifests, exclude: stateDirs(desired), ...(options.packs ? { packs: options.packs } : {}) });
  if (options.hashCache === undefined) await saveHashCache(stateDirOf(desired.file), hashCache);
  const adoptFrom = [...new Set([...(options.adoptFrom ?? []), ...desired.previousOwners])].filter((o) => o !== desired.owner);
  const owners = [desired.owner, ...adoptFrom];
  // The named rooms and the rest of the project are read at once (read-elsewhere.ts says why).
  const [inNamedRooms, elsewhere] = await Promise.all([
    readLive(target, services, { owners, createRooms: options.createRooms ?? false }),
    // Only prune and the orphan listing need the rest of the project; targeting has neither.
    targets === null ? readOwnedElsewhere(target, new Set(services.map((s) => s.room)), owners) : { rooms: {}, listed: true },
  ]);
  const live = { ...inNamedRooms, ...elsewhere.rooms };
  const git = await gitRead;
  const provenance = git.ok ? git.provenance : null;
  const platform = await platformRead;
  const computed = {
    ...computePlan(services, live, {
      owner: desired.owner,
      adoptFrom,
      prune,
      provenance: provenance === null ? null : planProvenance(provenance),
      platform,
      ...(options.rebuildOnAdopt === false ? { rebuildOnAdopt: false } : {}),
      ...(targets === null ? {} : { targets }),
    }),
    platform: { version: platform.version, source: platform.source, ...(platform.warning === undefined ? {} : { warning: platform.warning }) },
    ownerSource: desired.ownerSource,
    ...(desired.environment === undefined ? {} : { environment: desired.environment }),
    ...(elsewhere.listed ? {} : { warnings: ["the server does not list the project's rooms: only the rooms the config names were checked for services to prune"] }),
  };
  if (options.secretCheck !== true) return { desired, services, plan: computed, hashCache, manifests, live, provenance };
  // A plan that reviews clean must not fail at apply for a missing secret: missing ones are problems.
  const accountSecrets = hasFeature(platform, "serviceAccountSecrets");
  const check = await checkSecrets(target, computed, services, accountSecrets);
  const plan = check.missing.length === 0 ? computed : { ...computed, problems: [...computed.problems, ...secretProblems(check, accountSecrets)] };
  return { desired, services, plan, hashCache, manifests, live, provenance, secrets: { check, accountSecrets } };
}

/** Like Terraform, targeting never deletes: asking for both is refused before any request. */
export function pruneUnderTargeting(targets: Targets): UsageError {
  return new UsageError(
    `--prune cannot be combined with targeting (${describeTargets(targets)}): a targeted run acts on the services it names and never deletes; nothing was changed`,
    "run without --service/--room/--exclude to prune (the whole config is then compared with the rooms)",
  );
}

/**
 * Prune deletes by owner, so the owner must be one no unrelated config shares by accident: the
 * directory-name fallback (no git remote) is not; refused before any request.
 */
function requireTrustedOwner(desired: DesiredState): void {
  if (desired.ownerSource.type !== "directory") return;
  throw new MeshdeployError(
    "E_OWNER",
    `prune needs an explicit owner: ${desired.file} is not in a git repository with a remote, so the owner defaulted to its directory's name "${desired.owner}", which any other config in a directory of that name shares; nothing was changed`,
    { hint: "write `owner: <a name no other config uses>` in the config (or keep it in a git repository with a remote), then prune again" },
  );
}

/** meshdeploy's own state beside the config, never part of a build context (see WalkOptions.exclude). */
function stateDirs(desired: DesiredState): string[] {
  return [stateDirOf(desired.file)];
}

/**
 * Checks the delete cap and every referenced secret first (nothing changes when one fails; a
 * plan-time secret check is reused, not repeated), applies, then reads the health of every
 * declared service the apply did not wait for (one services.list per room): "converged" includes
 * live, whatever an earlier run did.
 */
export async function applyRun(target: Target, run: Reconciliation, options: RunOptions): Promise<ApplyResult> {
  const overLimit = deleteLimitError(run.plan, options.maxDeletes);
  if (overLimit !== null) throw overLimit;
  const onWarning = (line: string): void => options.onEvent?.({ type: "warning", line });
  if (run.secrets !== undefined) enforceSecrets(run.secrets.check, run.secrets.accountSecrets, onWarning);
  else await requireSecrets(target, run.plan, run.services, onWarning);
  const result = await applyPlan(target, run.plan, {
    ...options,
    hashCache: run.hashCache,
    packExclude: stateDirs(run.desired),
    onBuilt: (service, built) => run.manifests.set(service.room, service.name, manifestOf(built.hash, built.files)),
  });
  if (options.signal?.aborted) return result;
  return { ...result, health: await checkHealth(target, healthSubjects(run, result.results, options.wait ?? true), healthOptions(options)) };
}

/**
 * How long `status` and `plan --health` let a service that is starting settle: they report, they
 * do not deploy (a room that just started, like `--local`'s, has every container starting).
 */
export const SETTLE_MS = 15_000;

/** The health of every declared service, with no writes (a no-change run, `plan --health`, `status`). */
export function runHealth(target: Target, run: Reconciliation, options: Pick<RunOptions, "wait" | "waitTimeoutMs" | "pollIntervalMs" | "signal"> = {}): Promise<HealthEntry[]> {
  return checkHealth(target, healthSubjects(run, [], options.wait ?? true), healthOptions(options));
}

function healthOptions(options: Pick<RunOptions, "wait" | "waitTimeoutMs" | "pollIntervalMs" | "signal">) {
  return {
    wait: options.wait ?? true,
    ...(options.waitTimeoutMs === undefined ? {} : { timeoutMs: options.waitTimeoutMs }),
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

/**
 * Declared services whose health this run has not established: not deleted, not failed (that is
 * reported already), not written-and-waited-for. Disabled from the body written or the live spec.
 */
function healthSubjects(run: Reconciliation, results: readonly ServiceResult[], waited: boolean): HealthSubject[] {
  const byService = new Map(results.map((r) => [r.service, r]));
  return run.plan.services.flatMap((service) => {
    if (service.type === "delete") return [];
    const result = byService.get(service);
    if (result !== undefined && (result.outcome === "failed" || result.outcome === "skipped")) return [];
    if (result !== undefined && result.outcome !== "unchanged" && (restarts(service) || !waited)) return [];
    const id = result?.id ?? service.id;
    const live = run.live[service.room]?.services.find((s) => s.id === id);
    const enabled = service.body !== null ? service.body["enabled"] : (live as { enabled?: unknown } | undefined)?.enabled;
    return [{ room: service.room, name: service.name, id, disabled: enabled === false }];
  });
}
