// The runner with a fake clock and cycles the test finishes by hand: one timer at most, cycles
// never overlap, changes during a cycle give exactly one follow-up, stop ends everything.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WatchLoop, type CycleRequest, type LoopTimers } from "../../../src/loops/watch/loop.js";

class FakeTimers implements LoopTimers {
  time = 0;
  armed: { at: number; fn: () => void }[] = [];
  setCount = 0;
  now(): number {
    return this.time;
  }
  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, fn };
    this.armed.push(timer);
    this.setCount += 1;
    return () => {
      this.armed = this.armed.filter((t) => t !== timer);
    };
  }
  /** Moves the clock, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.armed.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.armed = this.armed.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
  }
}

interface Harness {
  loop: WatchLoop;
  timers: FakeTimers;
  requests: CycleRequest[];
  running: number;
  maxRunning: number;
  /** Finishes the oldest running cycle and lets the loop react. */
  finish(): Promise<void>;
}

function harness(): Harness {
  const timers = new FakeTimers();
  const finishers: (() => void)[] = [];
  const h: Harness = {
    timers,
    requests: [],
    running: 0,
    maxRunning: 0,
    loop: new WatchLoop({
      debounceMs: 300,
      timers,
      runCycle: (request) => {
        h.requests.push(request);
        h.running += 1;
        h.maxRunning = Math.max(h.maxRunning, h.running);
        return new Promise<void>((resolve) =>
          finishers.push(() => {
            h.running -= 1;
            resolve();
          }),
        );
      },
    }),
    async finish() {
      finishers.shift()!();
      await settle();
    },
  };
  return h;
}

/** Lets promise callbacks run (cycles start and end on microtasks). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function started(): Promise<Harness> {
  const h = harness();
  h.loop.start();
  await settle();
  await h.finish(); // the first, full cycle
  return h;
}

describe("WatchLoop", () => {
  it("runs the full cycle first, then three quick changes as one cycle after the quiet period", async () => {
    const h = await started();
    assert.deepEqual(h.requests, [{ cycle: 1, paths: [] }]);
    h.loop.changed(["a"]);
    h.timers.advance(100);
    h.loop.changed(["b"]);
    h.timers.advance(100);
    h.loop.changed(["c", "a"]);
    h.timers.advance(299);
    await settle();
    assert.equal(h.requests.length, 1, "not before 300 ms of quiet");
    h.timers.advance(1);
    await settle();
    assert.deepEqual(h.requests[1], { cycle: 2, paths: ["a", "b", "c"] });
    assert.equal(h.timers.armed.length, 0);
  });

  it("changes during a running cycle: no overlap, exactly one follow-up that includes them all", async () => {
    const h = await started();
    h.loop.changed(["a"]);
    h.timers.advance(300);
    await settle();
    assert.equal(h.loop.state.phase, "running");
    h.loop.changed(["b"]);
    h.timers.advance(1000);
    h.loop.changed(["c"]);
    h.timers.advance(1000);
    await settle();
    assert.equal(h.requests.length, 2, "nothing starts while a cycle runs");
    await h.finish();
    assert.deepEqual(h.requests[2], { cycle: 3, paths: ["b", "c"] });
    await h.finish();
    h.timers.advance(10_000);
    await settle();
    assert.equal(h.requests.length, 3);
    assert.equal(h.maxRunning, 1);
    assert.equal(h.loop.state.phase, "idle");
  });

  it("a burst of 1,000 changes: one cycle, at most two timers armed", async () => {
    const h = await started();
    const before = h.timers.setCount;
    for (let i = 0; i < 1000; i += 1) {
      h.loop.changed([`f${i % 700}`]);
      if (i % 10 === 0) h.timers.advance(1);
    }
    h.timers.advance(1000);
    await settle();
    assert.equal(h.requests.length, 2);
    assert.equal(h.requests[1]!.paths.length, 700);
    assert.ok(h.timers.setCount - before <= 2, `armed ${h.timers.setCount - before} timers`);
  });

  it("a cycle that throws is reported and the loop goes on", async () => {
    const timers = new FakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const loop = new WatchLoop({
      debounceMs: 50,
      timers,
      runCycle: async () => {
        calls += 1;
        throw new Error("boom");
      },
      onCycleError: (e) => errors.push(e),
    });
    loop.start();
    await settle();
    assert.equal(loop.state.phase, "idle");
    loop.changed(["a"]);
    timers.advance(50);
    await settle();
    assert.equal(calls, 2);
    assert.equal(errors.length, 2);
  });

  it("stop: no timer fires, no cycle starts; resolves when the running cycle ends", async () => {
    const h = await started();
    h.loop.changed(["a"]);
    h.timers.advance(300);
    await settle();
    h.loop.changed(["b"]); // pending
    let stopped = false;
    const stopping = h.loop.stop().then(() => (stopped = true));
    await settle();
    assert.equal(stopped, false);
    await h.finish();
    await stopping;
    h.loop.changed(["c"]);
    h.timers.advance(5000);
    await settle();
    assert.equal(h.requests.length, 2, "the pending change does not start a cycle after stop");
    assert.equal(h.loop.state.phase, "stopped");
  });
});
