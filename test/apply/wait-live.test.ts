// waitLive with a fake poller, clock and log fetcher: live on running, the old container ignored,
// fail fast on a crash with the exit code and the crashed container's last log lines.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CRASH_LOG_LINES, MAX_POLL_OUTAGE_MS, waitLive, type ContainerLogFetcher, type WaitOptions } from "../../src/apply/wait-live.js";
import { StatePoller, type Clock } from "../../src/apply/state-poller.js";
import { MeshdeployError } from "../../src/errors.js";
import type { ServiceState } from "../../src/platform/room-api.js";

type Snapshot = Partial<ServiceState> | undefined;

/** Hands out one snapshot per poll (the last one repeats); each poll advances the clock by 1 s. */
function fakes(snapshots: Snapshot[]): { poller: { next(): Promise<Map<string, ServiceState>> }; clock: Clock; polls: () => number } {
  let now = 0;
  let polls = 0;
  const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
  const poller = {
    async next(): Promise<Map<string, ServiceState>> {
      const snapshot = snapshots[Math.min(polls, snapshots.length - 1)];
      polls += 1;
      now += 1_000;
      const states = new Map<string, ServiceState>();
      if (snapshot !== undefined) states.set("svc", { serviceId: "svc", state: "starting", containerId: null, restartCount: 0, lastExitCode: null, ports: [], lastStartError: null, events: [], ...snapshot });
      return states;
    },
  };
  return { poller, clock, polls: () => polls };
}

async function failure(promise: Promise<unknown>): Promise<MeshdeployError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof MeshdeployError);
    return error;
  }
  throw new Error("expected waitLive to fail");
}

describe("waitLive", () => {
  it("waits through starting, ignores the previous container, and returns the running one", async () => {
    const { poller, clock, polls } = fakes([undefined, { containerId: "old", state: "running" }, { containerId: "new" }, { containerId: "new", state: "running" }]);
    const fetched: string[] = [];
    const live = await waitLive(poller, "svc", "web", "old", { timeoutMs: 60_000, clock, logs: async (id) => (fetched.push(id), []) });
    assert.deepEqual(live, { containerId: "new" });
    assert.equal(polls(), 4);
    assert.deepEqual(fetched, [], "no logs read for a healthy start");
  });

  it("failed polls are retried with backoff: a room outage of half a minute (7 failures in a row) does not fail every waiting service", async () => {
    const { poller, clock } = fakes([{ containerId: "new", state: "running" }]);
    let failing = 7;
    const sleeps: number[] = [];
    const flaky = { next: async () => (failing-- > 0 ? Promise.reject(new Error("services.list failed: 502")) : poller.next()) };
    const recording: Clock = { now: clock.now, sleep: async (ms) => (sleeps.push(ms), clock.sleep(ms)) };
    assert.deepEqual(await waitLive(flaky, "svc", "web", null, { timeoutMs: 300_000, clock: recording }), { containerId: "new" });
    assert.deepEqual(sleeps, [1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000], "exponential, capped at 15 s");
  });

  it(`gives up once the room's states stayed unreadable for ${MAX_POLL_OUTAGE_MS / 1000} s, with the room's error`, async () => {
    const { clock } = fakes([undefined]);
    let polls = 0;
    const down = { next: async () => (polls++, Promise.reject(new Error("services.list failed: room closed"))) };
    const started = clock.now();
    await assert.rejects(waitLive(down, "svc", "web", null, { timeoutMs: 300_000, clock }), /room closed/);
    assert.ok(clock.now() - started >= MAX_POLL_OUTAGE_MS && clock.now() - started < MAX_POLL_OUTAGE_MS + 16_000, `gave up after ${clock.now() - started} ms`);
    assert.equal(polls, 8);
    polls = 0;
    await assert.rejects(waitLive(down, "svc", "web", null, { timeoutMs: 5_000, clock }), /room closed/);
    assert.equal(polls, 4, "never past the wait's own timeout");
    const aborted = AbortSignal.abort();
    polls = 0;
    await assert.rejects(waitLive(down, "svc", "web", null, { timeoutMs: 60_000, clock, signal: aborted }), /room closed/);
    assert.equal(polls, 1, "an interrupted run does not retry");
  });

  it("a container replaced by someone else's restart (no exit code, no restarts) is followed, not reported as a crash", async () => {
    const { poller, clock } = fakes([{ containerId: "first" }, { containerId: "second" }, { containerId: "second", state: "running" }]);
    assert.deepEqual(await waitLive(poller, "svc", "web", null, { timeoutMs: 60_000, clock }), { containerId: "second" });
  });

  it("a restarting container fails fast with its exit code and its last log lines, quoted", async () => {
    const { poller, clock } = fakes([{ containerId: "c1" }, { containerId: "c1", state: "restarting", restartCount: 2, lastExitCode: 3 }]);
    const calls: [string, number][] = [];
    const log = Array.from({ length: 14 }, (_, i) => `line ${i + 1}`);
    const logs: ContainerLogFetcher = async (id, maxLines) => {
      calls.push([id, maxLines]);
      return [...log.slice(0, -1), "2026-11-26T10:00:00.000Z stderr F panic: no DATABASE_URL"];
    };
    const error = await failure(waitLive(poller, "svc", "api", null, { timeoutMs: 60_000, clock, logs }));
    assert.equal(error.code, "E_WAIT");
    assert.deepEqual(calls, [["c1", CRASH_LOG_LINES]]);
    assert.equal(
      error.message,
      ["api exited before it was live: exit code 3, 2 restarts (state restarting)", ...[5, 6, 7, 8, 9, 10, 11, 12, 13].map((n) => `    | line ${n}`), "    | panic: no DATABASE_URL"].join("\n"),
    );
  });

  it("a replaced container reads the logs of the container that crashed", async () => {
    const { poller, clock } = fakes([{ containerId: "first" }, { containerId: "second", lastExitCode: 1 }]);
    const calls: string[] = [];
    const options: WaitOptions = { timeoutMs: 60_000, clock, logs: async (id) => (calls.push(id), [`bye from ${id}`]) };
    const error = await failure(waitLive(poller, "svc", "api", null, options));
    assert.deepEqual(calls, ["first"]);
    assert.equal(error.message, "api exited before it was live: exit code 1, 0 restarts (state starting)\n    | bye from first");
    // The tail is in the message: the hint does not send the user to another tool for it (audit defect 13).
    assert.equal((error as MeshdeployError).hint, "the container crashes on start: its last log lines are shown above; fix the cause and apply again");
  });

  it("logs that cannot be read (none, or the fetcher fails) are said to be unavailable; no fetcher, no words", async () => {
    const crash: Snapshot[] = [{ containerId: "c1", state: "restarting", restartCount: 1, lastExitCode: 137 }];
    const headline = "api exited before it was live: exit code 137, 1 restart (state restarting)";
    const run = (logs?: ContainerLogFetcher) => {
      const { poller, clock } = fakes(crash);
      return failure(waitLive(poller, "svc", "api", null, { timeoutMs: 60_000, clock, ...(logs ? { logs } : {}) }));
    };
    assert.equal((await run(async () => [])).message, `${headline} (container logs unavailable)`);
    assert.equal((await run(() => Promise.reject(new Error("socket gone")))).message, `${headline} (container logs unavailable)`);
    assert.equal((await run()).message, headline);
  });

  it("gives up after the timeout, naming the container that never ran", async () => {
    const { poller, clock } = fakes([{ containerId: "slow" }]);
    const error = await failure(waitLive(poller, "svc", "web", null, { timeoutMs: 5_000, clock, logs: async () => ["never read"] }));
    assert.match(error.message, /^web did not start within 5 s \(container slow never reached running\)$/);
  });

  it("0.45.9 readiness: running is live only once the liveness port is ready; ports without one do not hold it", async () => {
    const port = (status: string) => ({ num: 8000, liveness: "/health", livenessStatus: status, lastError: status === "ready" ? null : "GET /health: 503" });
    const other = { num: 9000, liveness: null, livenessStatus: "not_configured", lastError: null };
    const { poller, clock, polls } = fakes([
      { containerId: "c", state: "running", ports: [port("not_ready"), other] },
      { containerId: "c", state: "running", ports: [port("not_ready"), other] },
      { containerId: "c", state: "running", ports: [port("ready"), other] },
    ]);
    assert.deepEqual(await waitLive(poller, "svc", "web", null, { timeoutMs: 60_000, clock }), { containerId: "c" });
    assert.equal(polls(), 3);
  });

  it("a timeout while running but not ready names the port, its error, last_start_error and the last events", async () => {
    const { poller, clock } = fakes([{
      containerId: "c",
      state: "running",
      ports: [{ num: 8000, liveness: "/health", livenessStatus: "not_ready", lastError: "GET /health: 503" }],
      lastStartError: "image pull slow",
      events: [{ type: "Warning", reason: "Unhealthy", message: "liveness not ready", count: 4 }],
    }]);
    const error = await failure(waitLive(poller, "svc", "web", null, { timeoutMs: 3_000, clock }));
    assert.equal(error.message, [
      "web did not start within 3 s (running, but port 8000 liveness /health is not_ready: GET /health: 503)",
      "  last start error: image pull slow",
      "  event: Warning Unhealthy: liveness not ready (×4)",
    ].join("\n"));
  });
});

describe("StatePoller", () => {
  it("polls fast first and backs off ×1.2 up to the interval", async () => {
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const at: number[] = [];
    const poller = new StatePoller({ serviceStates: async () => (at.push(now), new Map()) }, 1000, clock);
    for (let i = 0; i < 20; i++) await poller.next();
    const gaps = at.slice(1).map((t, i) => Math.round(t - at[i]!));
    assert.deepEqual(gaps, [50, 60, 72, 86, 104, 124, 149, 179, 215, 258, 310, 372, 446, 535, 642, 770, 924, 1000, 1000]);
  });
});
