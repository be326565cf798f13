// The watch loop's timing, as an explicit state machine over plain data:
//
//   idle ──fileChanged──► debouncing ──timerFired (quiet ≥ debounce)──► running ──cycleDone──► idle
//                            ▲   └──timerFired (not quiet yet): re-arm for the rest──┘   │
//                            │                                                           │ fileChanged
//                            └──cycleDone (last change < debounce ago)── pending ◄───────┘
//                                        cycleDone (quiet already) ──► running (one follow-up)
//   any ──stop──► stopped (absorbing)
//
// A cycle starts only after a quiet period with no change (so a save that writes several files
// is one batch), cycles never overlap, and every change that arrives while one runs is carried
// into exactly one follow-up cycle. At most one timer is armed: changes during `debouncing` only
// move `lastChangeAt`, and the timer, when it fires, re-arms itself for what is left of the
// quiet period. Time comes in with the events; effects go out as data for the runner (loop.ts).
// Must not: read a clock, touch timers, or know what a cycle does.
import { appendPaths, batchPaths, type PathBatch } from "./path-batch.js";

export type WatchState =
  | { phase: "idle"; cycles: number }
  | { phase: "debouncing"; cycles: number; changes: PathBatch; lastChangeAt: number }
  | { phase: "running"; cycles: number }
  | { phase: "pending"; cycles: number; changes: PathBatch; lastChangeAt: number }
  | { phase: "stopped"; cycles: number };

export type WatchEvent =
  | { type: "fileChanged"; paths: readonly string[]; now: number }
  | { type: "timerFired"; now: number }
  | { type: "cycleDone"; now: number }
  | { type: "stop" };

export type WatchEffect =
  /** Arm the one timer (replacing any armed one) to fire `timerFired` after `ms`. */
  | { type: "startTimer"; ms: number }
  | { type: "cancelTimer" }
  /** Run cycle number `cycle` for these paths (distinct, in arrival order; [] for the first, full one). */
  | { type: "startCycle"; cycle: number; paths: string[] };

export interface Transition {
  state: WatchState;
  effects: WatchEffect[];
}

export interface MachineConfig {
  /** The quiet period: no change for this long before a cycle starts. */
  debounceMs: number;
}

/** The session starts with the first, full reconcile already running. */
export function start(): Transition {
  return { state: { phase: "running", cycles: 1 }, effects: [{ type: "startCycle", cycle: 1, paths: [] }] };
}

export function transition(state: WatchState, event: WatchEvent, config: MachineConfig): Transition {
  const stay: Transition = { state, effects: [] };
  if (state.phase === "stopped") return stay;
  if (event.type === "stop") return { state: { phase: "stopped", cycles: state.cycles }, effects: [{ type: "cancelTimer" }] };
  switch (state.phase) {
    case "idle":
      if (event.type !== "fileChanged" || event.paths.length === 0) return stay;
      return {
        state: { phase: "debouncing", cycles: state.cycles, changes: appendPaths(null, event.paths), lastChangeAt: event.now },
        effects: [{ type: "startTimer", ms: config.debounceMs }],
      };
    case "debouncing":
      if (event.type === "fileChanged") {
        if (event.paths.length === 0) return stay;
        return { state: { ...state, changes: appendPaths(state.changes, event.paths), lastChangeAt: event.now }, effects: [] };
      }
      if (event.type === "timerFired") return startWhenQuiet(state, event.now, config);
      return stay; // cycleDone cannot happen here: no cycle runs
    case "running":
      if (event.type === "fileChanged" && event.paths.length > 0) {
        return { state: { phase: "pending", cycles: state.cycles, changes: appendPaths(null, event.paths), lastChangeAt: event.now }, effects: [] };
      }
      if (event.type === "cycleDone") return { state: { phase: "idle", cycles: state.cycles }, effects: [] };
      return stay; // a stale timer
    case "pending":
      if (event.type === "fileChanged") {
        if (event.paths.length === 0) return stay;
        return { state: { ...state, changes: appendPaths(state.changes, event.paths), lastChangeAt: event.now }, effects: [] };
      }
      if (event.type === "cycleDone") return startWhenQuiet({ ...state, phase: "debouncing" }, event.now, config);
      return stay;
  }
}

/** Start the cycle if the quiet period has passed; otherwise (re)arm the timer for the rest of it. */
function startWhenQuiet(state: Extract<WatchState, { phase: "debouncing" }>, now: number, config: MachineConfig): Transition {
  const quietFor = now - state.lastChangeAt;
  if (quietFor < config.debounceMs) return { state, effects: [{ type: "startTimer", ms: config.debounceMs - quietFor }] };
  const cycle = state.cycles + 1;
  return { state: { phase: "running", cycles: cycle }, effects: [{ type: "startCycle", cycle, paths: batchPaths(state.changes) }] };
}
