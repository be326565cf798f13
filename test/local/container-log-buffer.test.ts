// Synthetic container logs (runtime/container-log-buffer.ts) and what the lifecycle writes into
// them: the start line, the MESHDEPLOY_LOCAL_LOG text, crash-loop exits; bounds and followers.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ContainerLogs, type ContainerLogEvent } from "../../src/local/runtime/container-log-buffer.js";
import { ServiceLifecycle } from "../../src/local/runtime/service-lifecycle.js";
import type { ServiceRecord } from "../../src/local/state.js";

const service = (id: string, environment: unknown[] = []): ServiceRecord =>
  ({ id, version: "v1", kind: "Service", metadata: { name: id }, container: { image: "x:1", environment } }) as ServiceRecord;

describe("container log buffer", () => {
  it("keeps the newest lines, per room, and splits multi-line text", () => {
    const logs = new ContainerLogs({ maxLines: 3 });
    logs.open("dev", "c1");
    logs.append("dev", "c1", "a\nb");
    logs.append("dev", "c1", "c\n");
    logs.append("dev", "c1", "d");
    assert.deepEqual(logs.read("dev", "c1"), { lines: ["b", "c", "d"], stopped: false });
    assert.equal(logs.read("other", "c1"), undefined, "rooms are apart");
    logs.append("dev", "nope", "ignored");
    assert.equal(logs.read("dev", "nope"), undefined);
  });

  it("followers hear later lines and one end when the container stops; stopped logs are kept, then evicted", () => {
    const logs = new ContainerLogs({ maxStopped: 1 });
    logs.open("dev", "c1");
    logs.append("dev", "c1", "before");
    const events: ContainerLogEvent[] = [];
    logs.follow("dev", "c1", (event) => events.push(event));
    logs.append("dev", "c1", "after");
    logs.stop("dev", "c1");
    logs.stop("dev", "c1");
    logs.append("dev", "c1", "too late");
    assert.deepEqual(events, [{ type: "line", line: "after" }, { type: "end" }]);
    assert.deepEqual(logs.read("dev", "c1"), { lines: ["before", "after"], stopped: true });
    const late: ContainerLogEvent[] = [];
    logs.follow("dev", "c1", (event) => late.push(event));
    assert.deepEqual(late, [{ type: "end" }], "following a stopped container ends at once");
    logs.open("dev", "c2");
    logs.stop("dev", "c2");
    assert.equal(logs.read("dev", "c1"), undefined, "the oldest stopped log goes first");
    assert.equal(logs.read("dev", "c2")?.stopped, true);
  });

  it("stopAll ends every follower and keeps every log", () => {
    const logs = new ContainerLogs({ maxStopped: 0 });
    logs.open("dev", "c1");
    const events: ContainerLogEvent[] = [];
    logs.follow("dev", "c1", (event) => events.push(event));
    logs.stopAll();
    assert.deepEqual(events, [{ type: "end" }]);
    assert.deepEqual(logs.read("dev", "c1"), { lines: [], stopped: true });
  });
});

describe("service lifecycle logs", () => {
  function lifecycle(): ServiceLifecycle {
    let next = 0;
    return new ServiceLifecycle({ startDelayMs: 40, now: () => 1_700_000_000_000, newContainerId: () => `c${++next}` });
  }

  it("a crash-looping container logs its start, the MESHDEPLOY_LOCAL_LOG text and each exit", async () => {
    const life = lifecycle();
    life.start("dev", service("a", [{ name: "MESHDEPLOY_LOCAL_CRASH", value: "7" }, { name: "MESHDEPLOY_LOCAL_LOG", value: "hello" }]));
    assert.deepEqual(life.logs.read("dev", "c1")?.lines, ["local room: container c1 started from x:1", "hello"]);
    const lines = (): readonly string[] => life.logs.read("dev", "c1")?.lines ?? [];
    for (let waited = 0; lines().length < 5 && waited < 2_000; waited += 10) await sleep(10);
    assert.deepEqual(lines().slice(0, 5), [
      "local room: container c1 started from x:1",
      "hello",
      "local room: container exited with code 7 (MESHDEPLOY_LOCAL_CRASH)",
      "local room: container c1 started from x:1",
      "hello",
    ]);
    life.close();
    assert.equal(life.logs.read("dev", "c1")?.stopped, true);
  });

  it("a new container stops the old one's log; a removed service stops its container's log", () => {
    const life = lifecycle();
    life.start("dev", service("a", [{ name: "MESHDEPLOY_LOCAL_LOG", secret: { id: "s", identity: "i" } }]));
    assert.deepEqual(life.logs.read("dev", "c1"), { lines: ["local room: container c1 started from x:1"], stopped: false }, "only a plain value is printed");
    life.start("dev", service("a"));
    assert.equal(life.logs.read("dev", "c1")?.stopped, true);
    assert.equal(life.logs.read("dev", "c2")?.stopped, false);
    life.remove("dev", "a");
    assert.equal(life.logs.read("dev", "c2")?.stopped, true);
    life.close();
  });
});
