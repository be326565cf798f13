// Contract test: `containers.logs` driven by the official @meshagent/meshagent@0.39.9 client,
// unchanged, against the local room — the synthetic container log (start line, the
// MESHDEPLOY_LOCAL_LOG text, crash-loop exits), follow false and true, cancel, the end of a follow
// when the container is replaced, and CONTAINER_NOT_FOUND (6001).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { waitFor } from "../helpers/wait.js";
import { serviceBody, servicesPath, startTestRoom, type TestRoom } from "../helpers/local-room.js";
import { connectRoomClient, disposeSoon, sdk, type RoomClient } from "./room-client.js";

const IMAGE = "registry.meshagent.com/local/logs:1";

describe("local room containers.logs: official @meshagent/meshagent client", { timeout: 30_000 }, () => {
  let t: TestRoom;
  let client: RoomClient;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "other"], startDelayMs: 100 });
    client = (await connectRoomClient(t.room.url)).client;
  });
  after(async () => {
    await disposeSoon(client);
    await t.dispose();
  });

  async function create(name: string, environment: { name: string; value: string }[]): Promise<{ id: string; containerId: string }> {
    const created = await t.api("POST", servicesPath(), serviceBody(name, { container: { image: IMAGE, environment } }));
    assert.equal(created.status, 200, created.text);
    const id: string = created.body.id;
    const containerId = (await client.services.listWithState()).serviceStates[id]?.containerId;
    assert.match(containerId ?? "", /^[0-9a-f]{64}$/);
    return { id, containerId: containerId! };
  }

  /** Iterates at once (pitfall C4) and collects every string the stream yields. */
  function collect(stream: AsyncIterable<string>): { lines: string[]; done: Promise<void> } {
    const lines: string[] = [];
    const done = (async () => {
      for await (const line of stream) lines.push(line);
    })();
    return { lines, done };
  }

  it("follow:false returns the log that exists, one channel-1 line per chunk, and result resolves", async () => {
    const { containerId } = await create("logs-once", [{ name: "MESHDEPLOY_LOCAL_LOG", value: "listening on :8000\nready" }]);
    const logs = client.containers.logs({ containerId, follow: false });
    const { lines, done } = collect(logs.stream);
    assert.equal(await logs.result, undefined);
    await done;
    assert.deepEqual(lines, [`local room: container ${containerId} started from ${IMAGE}\n`, "listening on :8000\n", "ready\n"]);
    // The default is follow:false too: the same lines, and the stream ends by itself.
    const again = client.containers.logs({ containerId });
    const replay = collect(again.stream);
    await again.result;
    await replay.done;
    assert.deepEqual(replay.lines, lines);
    await sleep(50);
  });

  it("follow:true streams the crash-loop exits as they happen, until the client cancels", async () => {
    const { containerId } = await create("logs-crashy", [
      { name: "MESHDEPLOY_LOCAL_CRASH", value: "3" },
      { name: "MESHDEPLOY_LOCAL_LOG", value: "boom: missing DATABASE_URL" },
    ]);
    const logs = client.containers.logs({ containerId, follow: true });
    const { lines, done } = collect(logs.stream);
    const exit = "local room: container exited with code 3 (MESHDEPLOY_LOCAL_CRASH)\n";
    // Opened while the container was still starting: every exit line arrived after the replay.
    await waitFor("two exit lines", () => lines.filter((line) => line === exit).length >= 2);
    assert.deepEqual(lines.slice(0, 3), [`local room: container ${containerId} started from ${IMAGE}\n`, "boom: missing DATABASE_URL\n", exit]);
    assert.equal(lines[3], `local room: container ${containerId} started from ${IMAGE}\n`, "a restart prints the start lines again");
    // cancel() resolves only when the room answers the close chunk by ending the stream (pitfall 2).
    await logs.cancel();
    await done;
    assert.equal(await logs.result, undefined);
    await sleep(50);
  });

  it("follow:true ends by itself when the container is replaced; the old log stays readable", async () => {
    const { id, containerId } = await create("logs-replaced", []);
    const logs = client.containers.logs({ containerId, follow: true });
    const { lines, done } = collect(logs.stream);
    await waitFor("the start line", () => lines.length === 1);
    await client.services.restart({ serviceId: id });
    await done;
    assert.equal(await logs.result, undefined);
    assert.deepEqual(lines, [`local room: container ${containerId} started from ${IMAGE}\n`]);
    const old = client.containers.logs({ containerId, follow: true });
    const replay = collect(old.stream);
    await old.result;
    await replay.done;
    assert.deepEqual(replay.lines, lines, "a stopped container's follow returns its log and ends");
    await sleep(50);
  });

  it("an unknown container, or one of another room, rejects with CONTAINER_NOT_FOUND (6001)", async () => {
    const logs = client.containers.logs({ containerId: "no-such-container", follow: true });
    const { lines, done } = collect(logs.stream);
    await assert.rejects(logs.result, (error: Error & { code?: number }) => {
      assert.ok(error instanceof sdk.RoomServerException);
      assert.equal(error.message, "container not found: no-such-container");
      assert.equal(error.code, 6001);
      return true;
    });
    await done;
    assert.deepEqual(lines, []);

    const elsewhere = await t.api("POST", servicesPath("other"), serviceBody("logs-other"));
    const other = (await connectRoomClient(t.room.url, "other")).client;
    const otherContainer = (await other.services.listWithState()).serviceStates[elsewhere.body.id]?.containerId;
    assert.ok(otherContainer);
    await assert.rejects(client.containers.logs({ containerId: otherContainer }).result, (error: Error & { code?: number }) => error.code === 6001);
    await disposeSoon(other);
  });
});
