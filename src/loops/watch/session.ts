// A watch session: follow the config file and every build context, and reconcile on each change.
// Wires the pieces: the scope (what matters), the chokidar watcher, the state machine's runner
// (when a cycle runs) and one cycle (what it does). Holds the session's state — the last good
// desired state, one HashCache, the current scope — and reports what happens as plain data
// (render-watch.ts turns reports into lines). Returns when `signal` aborts, after in-flight
// platform writes have finished (at most `stopGraceMs`). The caller owns and closes the target.
import { realpath } from "node:fs/promises";
import path from "node:path";
import type { ApplyEvent, RunSettings, ServiceResult } from "../../apply/apply-plan.js";
import { HashCache } from "../../build-context/context-hash.js";
import type { DesiredState } from "../../model/desired.js";
import { isTargeting, mayBeTargeted, type Targets } from "../../model/targets.js";
import type { MeshdeployError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import type { Target } from "../../platform/target.js";
import { runOneCycle, type CycleOutcome } from "./cycle.js";
import { watchScope, type FileWatcher } from "./file-watcher.js";
import { WritesInFlight } from "./in-flight.js";
import { realTimers, WatchLoop, type CycleRequest, type LoopTimers } from "./loop.js";
import { batchPaths } from "./path-batch.js";
import { readScope } from "./read-scope.js";
import { classify, type Classified, type WatchScope } from "./scope.js";
import { countSuperseded } from "./superseded.js";

export type WatchReport =
  | { type: "watching"; configFile: string; contexts: number; roots: string[]; debounceMs: number }
  /** `trigger` null: the first, full reconcile. */
  | { type: "cycleStart"; cycle: number; trigger: Classified | null }
  | { type: "planned"; cycle: number; plan: Plan }
  | { type: "applyEvent"; cycle: number; event: ApplyEvent }
  /** Changes arrived while `cycle` runs: one follow-up cycle will include them. */
  | { type: "queued"; cycle: number; paths: string[] }
  /**
   * `retrying`: superseded builds get another cycle; `stuck`: services superseded
   * MAX_SUPERSEDED builds in a row (superseded.ts), not retried until the next edit.
   */
  | { type: "cycleEnd"; cycle: number; trigger: Classified | null; outcome: CycleOutcome; durationMs: number; retrying: boolean; stuck: string[] }
  | { type: "rewatched"; contexts: number; roots: string[] }
  | { type: "watchError"; error: MeshdeployError | Error }
  | { type: "stopping"; writesInFlight: number }
  | { type: "stopped"; abandonedWrites: number };

export interface WatchOptions {
  target: Target;
  createRooms: boolean;
  /** Variables for `${VAR}` interpolation when the config is reloaded (the process environment). */
  configEnv: Readonly<Record<string, string | undefined>>;
  /** The config as loaded at start (valid). */
  desired: DesiredState;
  debounceMs: number;
  prune: boolean;
  /** `--adopt-from`. */
  adoptFrom?: readonly string[];
  /** `--service`/`--room`/`--exclude`: only the targeted services' contexts are watched and built. */
  targets?: Targets;
  /** `--require-clean`: every cycle refuses while the config's work tree has uncommitted changes. */
  requireClean?: boolean;
  run: RunSettings;
  /** Files and directories never followed besides `<config dir>/.meshdeploy`: the local room's data, files meshdeploy's output goes to. */
  skipPaths?: string[];
  /** Stops the session. */
  signal: AbortSignal;
  /** How long stopping waits for in-flight writes (default 10 s). */
  stopGraceMs?: number;
  timers?: LoopTimers;
  onReport(report: WatchReport): void;
}

export const DEFAULT_STOP_GRACE_MS = 10_000;

/**
 * chokidar drops a second `change` of the same path within 50 ms of the first. With a quiet
 * period at least that long, such a write always lands before the cycle of the earlier event
 * starts, so it is never lost.
 */
export const MIN_DEBOUNCE_MS = 50;

export async function runWatch(options: WatchOptions): Promise<void> {
  const timers = options.timers ?? realTimers;
  const hashCache = new HashCache();
  const writes = new WritesInFlight();
  const supersededInARow = new Map<string, number>();
  const stopApply = new AbortController();
  let desired = options.desired;
  // What is watched follows the targets (the engine then plans exactly the targeted services).
  const { targets } = options;
  const targeted = (d: DesiredState): DesiredState => (isTargeting(targets) ? { ...d, services: d.services.filter((s) => mayBeTargeted(s, targets)) } : d);
  let scope: WatchScope = await readScope(targeted(desired), { skipPaths: options.skipPaths ?? [] });
  let watcher: FileWatcher | null = null;
  let stopping = false;
  let silent = false;
  const report = (r: WatchReport): void => {
    if (!silent) options.onReport(r);
  };

  const loop: WatchLoop = new WatchLoop({
    debounceMs: options.debounceMs,
    timers,
    runCycle: (request) => runCycle(request),
    onCycleError: (error) => report({ type: "watchError", error: error instanceof Error ? error : new Error(String(error)) }),
  });
  const onChange = (p: string): void => {
    const was = loop.state.phase;
    loop.changed([p]);
    const now = loop.state;
    if (was === "running" && now.phase === "pending") report({ type: "queued", cycle: now.cycles, paths: batchPaths(now.changes) });
  };
  const handlers = { onChange, onError: (error: MeshdeployError) => report({ type: "watchError", error }) };

  const rescope = async (): Promise<void> => {
    const next = await readScope(targeted(desired), { skipPaths: options.skipPaths ?? [] });
    if (stopping) return;
    if (next.key === scope.key) {
      // Same paths and rules, so the watcher stays; but which services a context builds may have
      // changed (the key leaves them out), and the next trigger must name the current ones.
      scope = next;
      return;
    }
    // The new watcher is ready before the old one closes: no edit falls in between (duplicates merge in the batch).
    const started = await watchScope(next, handlers);
    if (stopping) return started.close();
    const old = watcher;
    [scope, watcher] = [next, started];
    await old?.close();
    report({ type: "rewatched", contexts: next.contexts.length, roots: started.roots });
  };

  const runCycle = async (request: CycleRequest): Promise<void> => {
    const startedAt = timers.now();
    const trigger = request.cycle === 1 ? null : classify(scope, request.paths);
    if (trigger !== null && trigger.files.length === 0) return; // nothing that still matters (the scope changed)
    report({ type: "cycleStart", cycle: request.cycle, trigger });
    const before = desired;
    const outcome = await runOneCycle(
      {
        target: options.target,
        createRooms: options.createRooms,
        configEnv: options.configEnv,
        prune: options.prune,
        adoptFrom: options.adoptFrom ?? [],
        ...(targets === undefined ? {} : { targets }),
        requireClean: options.requireClean ?? false,
        hashCache,
        run: options.run,
        signal: stopApply.signal,
        onPlanned: (plan) => report({ type: "planned", cycle: request.cycle, plan }),
        onEvent: (event) => {
          writes.observe(event);
          report({ type: "applyEvent", cycle: request.cycle, event });
        },
      },
      { desired, reload: trigger?.config ?? false, contextsChanged: trigger === null || trigger.services.length > 0 },
    );
    desired = outcome.desired;
    // A superseded build needs a newer cycle; an edit during this one already queued it, else ask for one.
    const { retry, stuck } = countSuperseded(supersededInARow, outcome.result?.results ?? []);
    const retrying = retry.length > 0 && !stopping;
    if (retrying && loop.state.phase === "running") loop.changed(await contextDirs(retry));
    if (!stopping && (desired !== before || (trigger?.files ?? []).some((f) => path.basename(f) === ".dockerignore"))) {
      await rescope().catch((error: unknown) => report({ type: "watchError", error: error instanceof Error ? error : new Error(String(error)) }));
    }
    report({ type: "cycleEnd", cycle: request.cycle, trigger, outcome, durationMs: timers.now() - startedAt, retrying, stuck: stuck.map((r) => r.service.name) });
  };

  watcher = await watchScope(scope, handlers);
  report({ type: "watching", configFile: scope.configFile, contexts: scope.contexts.length, roots: watcher.roots, debounceMs: options.debounceMs });
  if (!options.signal.aborted) loop.start();
  await aborted(options.signal);

  stopping = true;
  report({ type: "stopping", writesInFlight: writes.count });
  stopApply.abort();
  void loop.stop();
  await watcher.close();
  await boundedWait(writes.drained(), options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS, timers);
  report({ type: "stopped", abandonedWrites: writes.count });
  silent = true; // what an abandoned cycle does from here on is not reported
}

/** The (resolved) context directories of superseded builds, as changed directories. */
async function contextDirs(results: readonly ServiceResult[]): Promise<string[]> {
  const dirs = results.map((r) => r.service.build?.context).filter((d): d is string => d !== undefined);
  return Promise.all(dirs.map(async (d) => `${await realpath(d).catch(() => d)}/`));
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

async function boundedWait(work: Promise<void>, ms: number, timers: LoopTimers): Promise<void> {
  let cancel = (): void => {};
  const timeout = new Promise<void>((resolve) => {
    cancel = timers.setTimer(resolve, ms);
  });
  await Promise.race([work, timeout]);
  cancel();
}
