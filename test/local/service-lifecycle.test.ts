// Emulated service containers (runtime/service-lifecycle.ts): starting → running, a new container
// on every start, the crash-loop switch, removal and close.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { crashCodeOf, ServiceLifecycle } from "../../src/local/runtime/service-lifecycle.js";
import { waitFor } from "../helpers/wait.js";
import type { ServiceRecord } from "../../src/local/state.js";

const service = (id: string, environment: unknown[] = []): ServiceRecord =>
  ({ id, version: "v1", kind: "Service", metadata: { name: id }, container: { image: "x:1", environment } }) as ServiceRecord;

function lifecycle(): ServiceLifecycle {
  let next = 0;
  return new ServiceLifecycle({ startDelayMs: 40, now: () => 1_700_000_000_000, newContainerId: () => `c${++next}` });
}

describe("service lifecycle", () => {
  it("starts a new container: starting, then running after the delay", async () => {
    const life = lifecycle();
    life.start("dev", service("a"));
    assert.deepEqual(life.state("dev", "a"), {
      service_id: "a",
      state: "starting",
      container_id: "c1",
      restart_scheduled_at: null,
      started_at: 1_700_000_000,
      restart_count: 0,
      last_exit_code: null,
      last_exit_at: null,
    });
    await waitFor("running", () => life.state("dev", "a")?.state === "running");
    life.start("dev", service("a"));
    assert.equal(life.state("dev", "a")?.container_id, "c2");
    assert.equal(life.state("dev", "a")?.state, "starting");
    assert.equal(life.state("other", "a"), undefined, "rooms are apart");
    life.close();
  });

  it("crash-loops with MESHDEPLOY_LOCAL_CRASH: restarting, restart_count grows every delay, same container", async () => {
    const life = lifecycle();
    life.start("dev", service("c", [{ name: "MESHDEPLOY_LOCAL_CRASH", value: "137" }]));
    await sleep(60);
    const first = life.state("dev", "c");
    assert.equal(first?.state, "restarting");
    assert.equal(first?.restart_count, 1);
    assert.equal(first?.last_exit_code, 137);
    assert.equal(first?.last_exit_at, 1_700_000_000);
    assert.equal(first?.restart_scheduled_at, 1_700_000_000.04);
    await waitFor("three restarts", () => (life.state("dev", "c")?.restart_count ?? 0) >= 3);
    const later = life.state("dev", "c");
    assert.ok((later?.restart_count ?? 0) >= 3, `restart_count ${later?.restart_count}`);
    assert.equal(later?.container_id, first?.container_id);
    life.close();
    const frozen = life.state("dev", "c")?.restart_count;
    await sleep(100);
    assert.equal(life.state("dev", "c")?.restart_count, frozen, "close() stops the timers");
  });

  it("forgets removed services and stops their timers", async () => {
    const life = lifecycle();
    life.start("dev", service("gone"));
    life.remove("dev", "gone");
    await sleep(60);
    assert.equal(life.state("dev", "gone"), undefined);
  });

  it("reads the crash switch only from a plain integer value", () => {
    assert.equal(crashCodeOf(service("a", [{ name: "MESHDEPLOY_LOCAL_CRASH", value: " 2 " }])), 2);
    assert.equal(crashCodeOf(service("a", [{ name: "MESHDEPLOY_LOCAL_CRASH", value: "yes" }])), null);
    assert.equal(crashCodeOf(service("a", [{ name: "MESHDEPLOY_LOCAL_CRASH", value: "300" }])), null);
    assert.equal(crashCodeOf(service("a", [{ name: "MESHDEPLOY_LOCAL_CRASH", secret: { id: "s", identity: "i" } }])), null);
    assert.equal(crashCodeOf(service("a", [{ name: "OTHER", value: "1" }])), null);
    assert.equal(crashCodeOf({ id: "x" } as ServiceRecord), null);
  });
});
