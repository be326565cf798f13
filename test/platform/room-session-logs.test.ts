// RoomSession.containerLogs through the official client against the local room: the newest lines
// of a container, and [] (never an exception) when the logs cannot be read.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RoomApi } from "../../src/platform/room-api.js";
import { RoomSession } from "../../src/platform/room-session.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";

describe("RoomSession.containerLogs", () => {
  let h: Harness;
  let session: RoomApi;
  let containerId: string;
  before(async () => {
    h = await startHarness();
    const t = h.target();
    const printed = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
    const id = (await t.createService("dev", { version: "v1", kind: "Service", metadata: { name: "talky" }, container: { image: "x:1", environment: [{ name: "MESHDEPLOY_LOCAL_LOG", value: printed }] } })).id;
    session = await t.room("dev");
    containerId = (await session.serviceStates()).get(id)!.containerId!;
  });
  after(() => h.close());

  it("returns the newest maxLines lines, without line ends", async () => {
    assert.deepEqual(await session.containerLogs(containerId, { maxLines: 3 }), ["line 10", "line 11", "line 12"]);
    const all = await session.containerLogs(containerId, { maxLines: 100 });
    assert.equal(all.length, 13);
    assert.equal(all[0], `local room: container ${containerId} started from x:1`);
    assert.equal((await session.containerLogs(containerId)).length, 10, "ten lines by default");
  });

  it("an unknown container or a missed deadline gives [] and leaves the session usable", async () => {
    assert.deepEqual(await session.containerLogs("no-such-container"), []);
    // A 0 ms deadline fires before the room can answer over the socket.
    assert.deepEqual(await session.containerLogs(containerId, { timeoutMs: 0 }), []);
    assert.deepEqual(await session.containerLogs(containerId, { maxLines: 1 }), ["line 12"]);
  });

  it("a closed session gives []", async () => {
    const closed = await RoomSession.open("dev", await connection(h), { reconnectTimeoutMs: 0 });
    await closed.close();
    assert.deepEqual(await closed.containerLogs(containerId, { timeoutMs: 2_000 }), []);
  });
});

async function connection(h: Harness): Promise<{ roomUrl: string; jwt: string }> {
  const response = await fetch(`${h.room.url}/accounts/projects/local/rooms/dev/connect`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: "{}",
  });
  const body = (await response.json()) as { jwt: string; room_url: string };
  return { roomUrl: body.room_url, jwt: body.jwt };
}
