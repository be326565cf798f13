// The watch state machine, event by event with explicit times: exact states and effects.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { appendPaths, batchPaths } from "../../../src/loops/watch/path-batch.js";
import { start, transition, type Transition, type WatchEvent, type WatchState } from "../../../src/loops/watch/state-machine.js";

const CONFIG = { debounceMs: 300 };
const changed = (now: number, ...paths: string[]): WatchEvent => ({ type: "fileChanged", paths, now });
const fired = (now: number): WatchEvent => ({ type: "timerFired", now });
const done = (now: number): WatchEvent => ({ type: "cycleDone", now });

/** Runs events from `state`; returns every transition. */
function run(state: WatchState, events: WatchEvent[]): Transition[] {
  const out: Transition[] = [];
  for (const event of events) {
    const next = transition(state, event, CONFIG);
    out.push(next);
    state = next.state;
  }
  return out;
}
const last = (ts: Transition[]): WatchState => ts[ts.length - 1]!.state;
const idle: WatchState = { phase: "idle", cycles: 1 };

describe("path batch", () => {
  it("keeps distinct paths in first-arrival order", () => {
    const b = appendPaths(appendPaths(appendPaths(null, ["a", "b"]), ["a"]), ["c", "b"]);
    assert.deepEqual(batchPaths(b), ["a", "b", "c"]);
    assert.deepEqual(batchPaths(null), []);
  });
});

describe("watch state machine", () => {
  it("starts with the first, full cycle running", () => {
    assert.deepEqual(start(), { state: { phase: "running", cycles: 1 }, effects: [{ type: "startCycle", cycle: 1, paths: [] }] });
  });

  it("idle → debouncing arms the timer once; three quick changes become one cycle after the quiet period", () => {
    const ts = run(idle, [changed(0, "a"), changed(50, "b"), changed(100, "a", "c"), fired(300)]);
    assert.deepEqual(ts[0]!.effects, [{ type: "startTimer", ms: 300 }]);
    assert.deepEqual(ts[1]!.effects, []); // no re-arm per event
    assert.deepEqual(ts[2]!.effects, []);
    // At 300 the last change is only 200 ms old: re-arm for the remaining 100 ms.
    assert.equal(ts[3]!.state.phase, "debouncing");
    assert.deepEqual(ts[3]!.effects, [{ type: "startTimer", ms: 100 }]);
    const t = transition(ts[3]!.state, fired(400), CONFIG);
    assert.deepEqual(t, { state: { phase: "running", cycles: 2 }, effects: [{ type: "startCycle", cycle: 2, paths: ["a", "b", "c"] }] });
  });

  it("a change while running goes pending; cycleDone after the quiet period starts exactly one follow-up with all of them", () => {
    const running: WatchState = { phase: "running", cycles: 2 };
    const ts = run(running, [changed(10, "x"), changed(20, "y"), changed(30, "x")]);
    assert.equal(last(ts).phase, "pending");
    assert.ok(ts.every((t) => t.effects.length === 0), "no timer and no cycle while one runs");
    const after = transition(last(ts), done(1000), CONFIG);
    assert.deepEqual(after, { state: { phase: "running", cycles: 3 }, effects: [{ type: "startCycle", cycle: 3, paths: ["x", "y"] }] });
    // The follow-up finishing with nothing new: back to idle, nothing started.
    assert.deepEqual(transition(after.state, done(2000), CONFIG), { state: { phase: "idle", cycles: 3 }, effects: [] });
  });

  it("cycleDone right after a pending change waits for the rest of the quiet period (no early build)", () => {
    const pending = last(run({ phase: "running", cycles: 2 }, [changed(900, "x")]));
    const t = transition(pending, done(1000), CONFIG);
    assert.equal(t.state.phase, "debouncing");
    assert.deepEqual(t.effects, [{ type: "startTimer", ms: 200 }]);
    const more = run(t.state, [changed(1100, "y"), fired(1200), fired(1400)]);
    assert.deepEqual(more[1]!.effects, [{ type: "startTimer", ms: 200 }]);
    assert.deepEqual(more[2]!.effects, [{ type: "startCycle", cycle: 3, paths: ["x", "y"] }]);
  });

  it("a cycle with no change while it ran ends in idle; stale timers and empty changes are ignored", () => {
    assert.deepEqual(transition({ phase: "running", cycles: 4 }, done(5), CONFIG), { state: { phase: "idle", cycles: 4 }, effects: [] });
    for (const state of [idle, { phase: "running", cycles: 1 } as const]) {
      assert.deepEqual(transition(state, fired(5), CONFIG), { state, effects: [] });
      assert.deepEqual(transition(state, changed(5), CONFIG), { state, effects: [] });
    }
  });

  it("a burst of 1,000 events arms one timer and starts one cycle", () => {
    const events = Array.from({ length: 1000 }, (_, i) => changed(i / 10, `f${i}`));
    const ts = run(idle, [...events, fired(300), fired(400)]);
    const effects = ts.flatMap((t) => t.effects);
    assert.equal(effects.filter((e) => e.type === "startCycle").length, 1);
    assert.equal(effects.filter((e) => e.type === "startTimer").length, 2); // the first, one re-arm
    const cycle = effects.find((e) => e.type === "startCycle");
    assert.equal(cycle?.type === "startCycle" ? cycle.paths.length : -1, 1000);
  });

  it("stop cancels the timer from any state and absorbs everything after", () => {
    const debouncing = transition(idle, changed(0, "a"), CONFIG).state;
    for (const state of [idle, debouncing, { phase: "running", cycles: 3 } as const]) {
      const t = transition(state, { type: "stop" }, CONFIG);
      assert.deepEqual(t, { state: { phase: "stopped", cycles: state.cycles }, effects: [{ type: "cancelTimer" }] });
      for (const e of [changed(1, "b"), fired(999), done(999)]) assert.deepEqual(transition(t.state, e, CONFIG).effects, []);
    }
  });

  it("never mutates the state it is given", () => {
    const state = transition(idle, changed(0, "a"), CONFIG).state;
    const copy = structuredClone(state);
    transition(state, changed(10, "b"), CONFIG);
    transition(state, fired(400), CONFIG);
    assert.deepEqual(state, copy);
  });
});
