// waitLive with a fake poller, clock and log fetcher: live on running, the old container ignored,
// fail fast on a crash with the exit code and the crashed container's last log lines.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CRASH_LOG_LINES, MAX_POLL_FAILURES, waitLive, type ContainerLogFetcher, type WaitOptions } from "../../src/apply/wait-live.js";
import type { Clock } from "../../src/apply/state-poller.js";
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
      if (snapshot !== undefined) states.set("svc", { serviceId: "svc", state: "starting", containerId: null, restartCount: 0, lastExitCode: null, ...snapshot });
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

  it("a failed poll is retried: one transient room error does not fail every waiting service", async () => {
    const { poller, clock } = fakes([{ containerId: "new", state: "running" }]);
    let failing = MAX_POLL_FAILURES - 1;
    const flaky = { next: async () => (failing-- > 0 ? Promise.reject(new Error("services.list failed: 502")) : poller.next()) };
    assert.deepEqual(await waitLive(flaky, "svc", "web", null, { timeoutMs: 60_000, clock }), { containerId: "new" });
  });

  it(`gives up after ${MAX_POLL_FAILURES} failed polls in a row, with the room's error`, async () => {
    const { clock } = fakes([undefined]);
    let polls = 0;
    const down = { next: async () => (polls++, Promise.reject(new Error("services.list failed: room closed"))) };
    await assert.rejects(waitLive(down, "svc", "web", null, { timeoutMs: 60_000, clock }), /room closed/);
    assert.equal(polls, MAX_POLL_FAILURES);
    const aborted = AbortSignal.abort();
    polls = 0;
    await assert.rejects(waitLive(down, "svc", "web", null, { timeoutMs: 60_000, clock, signal: aborted }), /room closed/);
    assert.equal(polls, 1, "an interrupted run does not retry");
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
});
