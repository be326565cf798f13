// One watch cycle: reload the config when it changed (an invalid one is reported and the last good
// one kept), then plan and apply the last good desired state exactly as `apply --yes` would, with
// the session's HashCache (only edited files are read again). The engine's plan already leaves
// every service whose config and context hash are unchanged alone, so this needs no service
// filter. Prune is on only when watch was given --prune (the config's `prune:` is not followed).
// Never throws: every failure comes back in the outcome, and watching goes on.
import type { ApplyEvent, ApplyResult, RunSettings, ServiceResult } from "../../apply/apply-plan.js";
import type { HashCache } from "../../build-context/context-hash.js";
import type { DesiredState } from "../../model/desired.js";
import type { Targets } from "../../model/targets.js";
import { loadConfig } from "../../config/load.js";
import { applyRun, planDesired, runHealth } from "../../reconcile.js";
import { healthError, unhealthy, type HealthEntry } from "../../apply/check-health.js";
import { asError, ConfigError } from "../../errors.js";
import { hasChanges, type Plan } from "../../plan/types.js";
import type { Target } from "../../platform/target.js";
import { isSuperseded } from "./superseded.js";

export interface CycleEnv {
  target: Target;
  createRooms: boolean;
  /** Variables for `${VAR}` interpolation when the config is reloaded. */
  configEnv: Readonly<Record<string, string | undefined>>;
  /** `--prune`. */
  prune: boolean;
  /** `--adopt-from`. */
  adoptFrom?: readonly string[];
  /** `--service`/`--room`/`--exclude`: only these services are planned and built. */
  targets?: Targets;
  /** `--require-clean`: the cycle fails (nothing written) while the work tree has uncommitted changes. */
  requireClean?: boolean;
  hashCache: HashCache;
  run: RunSettings;
  /** Aborted on stop: services not started yet are skipped. */
  signal: AbortSignal;
  onPlanned(plan: Plan): void;
  onEvent(event: ApplyEvent): void;
}

export interface CycleInput {
  /** The last good desired state. */
  desired: DesiredState;
  /** The config file is in the batch: load it again. */
  reload: boolean;
  /** A build context is in the batch (or this is the first cycle). */
  contextsChanged: boolean;
}

export interface CycleOutcome {
  /** The last good desired state after this cycle (the reloaded one when it was valid). */
  desired: DesiredState;
  /** The reloaded config was invalid (the previous desired state was kept). */
  configError: ConfigError | null;
  /** Planning or applying failed as a whole (network, a missing secret, a context that cannot be packed…). */
  error: Error | null;
  plan: Plan | null;
  result: ApplyResult | null;
  /** Builds apply refused because the context changed after the plan: a newer cycle deploys them. */
  superseded: ServiceResult[];
}

export async function runOneCycle(env: CycleEnv, input: CycleInput): Promise<CycleOutcome> {
  const outcome: CycleOutcome = { desired: input.desired, configError: null, error: null, plan: null, result: null, superseded: [] };
  if (input.reload) {
    try {
      // The environment chosen at start stays chosen for the whole session.
      const environment = input.desired.environment;
      outcome.desired = await loadConfig(input.desired.file, { env: env.configEnv, ...(environment === undefined ? {} : { environment }) });
    } catch (error) {
      if (!(error instanceof ConfigError)) return { ...outcome, error: asError(error) };
      outcome.configError = error;
      // Nothing else changed: the last good state is what is deployed already.
      if (!input.contextsChanged) return outcome;
    }
  }
  try {
    const desired = env.prune ? outcome.desired : { ...outcome.desired, prune: false };
    const run = await planDesired(env.target, desired, { prune: env.prune, createRooms: env.createRooms, hashCache: env.hashCache, adoptFrom: env.adoptFrom ?? [], requireClean: env.requireClean ?? false, ...(env.targets === undefined ? {} : { targets: env.targets }) });
    outcome.plan = run.plan;
    env.onPlanned(run.plan);
    if (run.plan.problems.length > 0) return outcome;
    // Health is part of converged: a cycle with nothing to write still reads it (one services.list per room).
    if (!hasChanges(run.plan)) return { ...outcome, error: healthFailure(await runHealth(env.target, run, { ...env.run, signal: env.signal })) };
    const result = await applyRun(env.target, run, { ...env.run, signal: env.signal, onEvent: env.onEvent });
    return { ...outcome, result, superseded: result.results.filter(isSuperseded), error: healthFailure(result.health) };
  } catch (error) {
    return { ...outcome, error: asError(error) };
  }
}

/** The cycle's error when a declared service is not live (null when all are). */
function healthFailure(entries: readonly HealthEntry[]): Error | null {
  const bad = unhealthy(entries);
  return bad.length === 0 ? null : healthError(bad, { detailed: true });
}
