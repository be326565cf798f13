// Contract test: the official TypeScript client @meshagent/meshagent@0.39.9, unchanged, against
// the local room — service CRUD, rooms, and how it sees our errors.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import type { ServiceSpec } from "@meshagent/meshagent";
import { PID, startTestRoom, type TestRoom, TOKEN } from "../helpers/local-room.js";

// The package's "import" build (dist/esm) is CommonJS code marked as ESM and does not load;
// its "require" build (dist/node) is the one that works from Node.
const { Meshagent } = createRequire(import.meta.url)("@meshagent/meshagent") as typeof import("@meshagent/meshagent");
type Meshagent = InstanceType<typeof Meshagent>;

describe("local room: official @meshagent/meshagent client", () => {
  let t: TestRoom;
  let client: Meshagent;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev"] });
    client = new Meshagent({ baseUrl: t.room.url, token: TOKEN });
  });
  after(() => t.dispose());

  const spec = (name: string, image: string): ServiceSpec => ({
    version: "v1",
    kind: "Service",
    metadata: { name, annotations: { "meshdeploy.managed-by": "meshdeploy" } },
    ports: [{ num: 8000, type: "http" }],
    container: { image },
  });

  it("createRoomService, listRoomServices, getRoomService, updateRoomService, deleteRoomService", async () => {
    const id = await client.createRoomService(PID, "dev", spec("acme-web", "registry.meshagent.com/local/web:1"));
    assert.match(id, /^[0-9a-f-]{36}$/);

    const listed = await client.listRoomServices(PID, "dev");
    assert.equal(listed.length, 1);
    assert.equal(listed[0]?.id, id);
    assert.equal(listed[0]?.metadata.name, "acme-web");
    assert.deepEqual(listed[0]?.ports, [{ num: 8000, type: "http", endpoints: [] }]);

    const fetched = await client.getRoomService(PID, "dev", id);
    assert.deepEqual(fetched, listed[0]);

    await client.updateRoomService(PID, "dev", id, { ...fetched, container: { image: "registry.meshagent.com/local/web:2" } });
    assert.equal((await client.getRoomService(PID, "dev", id)).container?.image, "registry.meshagent.com/local/web:2");

    await client.deleteRoomService(PID, "dev", id);
    assert.deepEqual(await client.listRoomServices(PID, "dev"), []);
  });

  it("createRoom (with ifNotExists), getRoom and listRooms", async () => {
    const room = await client.createRoom({ projectId: PID, name: "client-room", annotations: { team: "web" } });
    assert.equal(room.name, "client-room");
    assert.deepEqual(room.annotations, { team: "web" });
    const again = await client.createRoom({ projectId: PID, name: "client-room", ifNotExists: true });
    assert.equal(again.id, room.id);
    assert.deepEqual(await client.getRoom(PID, "client-room"), room);
    const rooms = await client.listRooms(PID);
    assert.deepEqual(rooms.map((r) => r.name), ["client-room", "dev"]);
  });

  it("surfaces our status and error body through its RoomException", async () => {
    await assert.rejects(client.getRoomService(PID, "dev", "missing"), (error: Error) => {
      assert.match(error.message, /Failed to fetch room service\. Status code: 404, body: \{"error":\{"message":"service \\"missing\\" not found in room \\"dev\\""\}\}/);
      return true;
    });
    const denied = new Meshagent({ baseUrl: t.room.url, token: "not-the-token" });
    await assert.rejects(denied.listRoomServices(PID, "dev"), (error: Error) => {
      assert.match(error.message, /Status code: 401/);
      assert.ok(!error.message.includes(TOKEN) && !error.message.includes("not-the-token"));
      return true;
    });
    await client.createRoomService(PID, "dev", spec("twice", "x:1"));
    await assert.rejects(client.createRoomService(PID, "dev", spec("twice", "x:2")), /Status code: 409/);
  });
});
