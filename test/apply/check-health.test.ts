// checkHealth with a stand-in room: one services.list per room however many services; a starting
// service is waited for; crash loops and exits carry their last log lines; a room whose states
// cannot be read makes its services "health unknown" instead of losing the run's result.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkHealth, describeUnhealthy, unhealthy, type HealthSubject } from "../../src/apply/check-health.js";
import type { Clock } from "../../src/apply/state-poller.js";
import type { RoomApi, ServiceState } from "../../src/platform/room-api.js";
import type { Target } from "../../src/platform/target.js";

const state = (id: string, s: Partial<ServiceState>): ServiceState => ({ serviceId: id, state: "running", containerId: `c-${id}`, restartCount: 0, lastExitCode: null, ports: [], lastStartError: null, events: [], ...s });

function fakeTarget(snapshots: (Map<string, ServiceState> | Error)[]): { target: Target; reads: () => number; clock: Clock } {
  let reads = 0;
  let now = 0;
  const room = {
    room: "dev",
    serviceStates: async () => {
      const snapshot = snapshots[Math.min(reads, snapshots.length - 1)]!;
      reads += 1;
      if (snapshot instanceof Error) throw snapshot;
      return snapshot;
    },
    containerLogs: async (id: string) => [`2026-01-01T00:00:00Z stderr F ${id} says goodbye`],
  } as unknown as RoomApi;
  const target = { room: async () => room } as unknown as Target;
  return { target, reads: () => reads, clock: { now: () => now, sleep: async (ms) => void (now += ms) } };
}

const subject = (id: string, extra: Partial<HealthSubject> = {}): HealthSubject => ({ room: "dev", name: `svc-${id}`, id, disabled: false, ...extra });

describe("checkHealth", () => {
  it("reads the room once for every service in it, and classifies each", async () => {
    const { target, reads, clock } = fakeTarget([new Map([
      ["a", state("a", {})],
      ["b", state("b", { state: "restarting", restartCount: 20, lastExitCode: 3 })],
      ["c", state("c", { state: "exited", lastExitCode: 1 })],
    ])]);
    const entries = await checkHealth(target, [subject("a"), subject("b"), subject("c"), subject("d", { disabled: true }), subject("x", { id: null })], { clock });
    assert.equal(reads(), 1);
    assert.deepEqual(entries.map((e) => e.health), ["healthy", "crashloop", "exited", "disabled", "missing"]);
    assert.deepEqual(entries[1]!.logs, ["c-b says goodbye"]);
    assert.equal(describeUnhealthy(entries[1]!), "svc-b (room dev) is not live: crashloop, state restarting, 20 restarts, last exit code 3\n    | c-b says goodbye");
    assert.deepEqual(unhealthy(entries).map((e) => e.name), ["svc-b", "svc-c", "svc-x"]);
  });

  it("waits for a service still starting; without wait it is reported as starting", async () => {
    const snapshots = [new Map([["a", state("a", { state: "starting" })]]), new Map([["a", state("a", {})]])];
    const waited = fakeTarget(snapshots);
    assert.equal((await checkHealth(waited.target, [subject("a")], { clock: waited.clock }))[0]!.health, "healthy");
    assert.equal(waited.reads(), 2);
    const once = fakeTarget(snapshots);
    const notWaited = await checkHealth(once.target, [subject("a")], { clock: once.clock, wait: false });
    assert.equal(notWaited[0]!.health, "starting");
    assert.deepEqual(unhealthy(notWaited), [], "--no-wait: starting is reported, not a failure");
    const late = fakeTarget([snapshots[0]!]);
    const late2 = await checkHealth(late.target, [subject("a")], { clock: late.clock, timeoutMs: 2_000 });
    assert.equal(late2[0]!.health, "starting", "still starting after the wait");
    assert.equal(unhealthy(late2).length, 1, "…fails the run");
  });

  it("a room that cannot be read: health unknown for its services, the run keeps its result", async () => {
    const { target, clock } = fakeTarget([new Error("services.list failed: 503")]);
    const entries = await checkHealth(target, [subject("a"), subject("d", { disabled: true })], { clock });
    assert.equal(entries[0]!.unreadable, "services.list failed: 503");
    assert.match(describeUnhealthy(entries[0]!), /svc-a \(room dev\) health unknown: .*503/);
    assert.deepEqual(unhealthy(entries).map((e) => e.name), ["svc-a"]);
  });
});
