// The thin runner of the watch state machine: feeds it events stamped with the injected clock,
// carries out its effects (one timer at most, one cycle at a time) and tells the machine when a
// cycle is done. Timing decisions all live in state-machine.ts; this file only executes them, so
// tests drive it with a fake clock and a cycle they finish by hand.
import { start, transition, type WatchEffect, type WatchEvent, type WatchState } from "./state-machine.js";

export interface LoopTimers {
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realTimers: LoopTimers = {
  now: () => performance.now(),
  setTimer: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

export interface CycleRequest {
  cycle: number;
  /** Distinct changed paths (directories end with "/"); [] for the first, full reconcile. */
  paths: string[];
}

export interface LoopOptions {
  debounceMs: number;
  timers: LoopTimers;
  /** Runs one cycle. Expected not to throw; a rejection is handed to `onCycleError`. */
  runCycle(request: CycleRequest): Promise<void>;
  onCycleError?(error: unknown): void;
}

export class WatchLoop {
  readonly #options: LoopOptions;
  #state: WatchState = { phase: "idle", cycles: 0 };
  #cancelTimer: (() => void) | null = null;
  #cycle: Promise<void> | null = null;

  constructor(options: LoopOptions) {
    this.#options = options;
  }

  get state(): WatchState {
    return this.#state;
  }

  /** Starts the first, full cycle. */
  start(): void {
    const next = start();
    this.#state = next.state;
    this.#run(next.effects);
  }

  changed(paths: readonly string[]): void {
    if (paths.length > 0) this.#dispatch({ type: "fileChanged", paths, now: this.#options.timers.now() });
  }

  /** Stops: no timer fires and no cycle starts from now on. Resolves when the running cycle (if any) ends. */
  stop(): Promise<void> {
    this.#dispatch({ type: "stop" });
    return this.#cycle ?? Promise.resolve();
  }

  #dispatch(event: WatchEvent): void {
    const next = transition(this.#state, event, { debounceMs: this.#options.debounceMs });
    this.#state = next.state;
    this.#run(next.effects);
  }

  #run(effects: readonly WatchEffect[]): void {
    for (const effect of effects) {
      if (effect.type === "cancelTimer" || effect.type === "startTimer") {
        this.#cancelTimer?.();
        this.#cancelTimer = null;
      }
      if (effect.type === "startTimer") {
        this.#cancelTimer = this.#options.timers.setTimer(() => {
          this.#cancelTimer = null;
          this.#dispatch({ type: "timerFired", now: this.#options.timers.now() });
        }, effect.ms);
      }
      if (effect.type === "startCycle") this.#startCycle({ cycle: effect.cycle, paths: effect.paths });
    }
  }

  #startCycle(request: CycleRequest): void {
    const done = (): void => {
      this.#cycle = null;
      this.#dispatch({ type: "cycleDone", now: this.#options.timers.now() });
    };
    // Started on a later microtask so a cycle that reports synchronously sees the new state.
    this.#cycle = Promise.resolve()
      .then(() => this.#options.runCycle(request))
      .catch((error: unknown) => this.#options.onCycleError?.(error))
      .then(done);
  }
}
