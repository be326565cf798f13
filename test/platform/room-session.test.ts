// The official client behind RoomSession, guarded: a bad token or a dead room is a clean error,
// never a crash or a hang (room-protocol.md §12 C1–C3).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MeshdeployError } from "../../src/errors.js";
import { RoomSession } from "../../src/platform/room-session.js";
import { type Harness, startHarness } from "../helpers/local-room.js";

describe("RoomSession", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform: "0.39.9" });
  });
  after(() => h.close());

  it("connects through the target and lists service states", async () => {
    const t = h.target();
    const id = (await t.createService("dev", { version: "v1", kind: "Service", metadata: { name: "s" }, container: { image: "x:1" } })).id;
    const session = await t.room("dev");
    assert.equal(await t.room("dev"), session, "one connection per room per run");
    const states = await session.serviceStates();
    assert.ok(states.has(id));
    assert.equal(await session.secretExists("nope", "s"), false);
    await session.restart(id);
    await assert.rejects(session.restart("no-such-service"), (e: MeshdeployError) => e.code === "E_ROOM" && /services\.restart failed/.test(e.message));
  });

  it("a refused upgrade (bad token) is a clean E_ROOM error, not a crash", async () => {
    const url = h.room.url.replace("http", "ws") + "/rooms/dev";
    await assert.rejects(RoomSession.open("dev", { roomUrl: url, jwt: "wrong" }, { reconnectTimeoutMs: 0 }), (e: MeshdeployError) => e.code === "E_ROOM" && /connect failed/.test(e.message));
  });

  it("a dead room URL gives up within the reconnect budget", async () => {
    const started = Date.now();
    await assert.rejects(RoomSession.open("dev", { roomUrl: "ws://127.0.0.1:1/rooms/dev", jwt: "x" }, { reconnectTimeoutMs: 600, callTimeoutMs: 5_000 }), MeshdeployError);
    assert.ok(Date.now() - started < 5_000);
  });
});
