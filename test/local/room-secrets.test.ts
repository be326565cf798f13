// REST: POST …/rooms/{room}/connect and the 0.39 room secrets (create, list without values,
// get one, update, delete, identities), and that secrets persist across a restart.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalRoom } from "../../src/local/server.js";
import { call, PID, startTestRoom, type TestRoom, TOKEN } from "../helpers/local-room.js";
import { sdk } from "./room-client.js";

const secretsPath = (room = "dev"): string => `/accounts/projects/${PID}/rooms/${room}/secrets`;
const b64 = (text: string): string => Buffer.from(text).toString("base64");

describe("local room: connect", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev"], platform: "0.39.9" });
  });
  after(() => t.dispose());

  it("issues a fresh token per call and names the websocket URL; 404 for a missing room, 401 without the API token", async () => {
    const first = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
    const second = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body), ["jwt", "room_name", "project_id", "room_url"]);
    assert.deepEqual({ ...first.body, jwt: "" }, { jwt: "", room_name: "dev", project_id: PID, room_url: `ws://127.0.0.1:${t.room.port}/rooms/dev` });
    assert.notEqual(first.body.jwt, second.body.jwt);
    const missing = await t.api("POST", `/accounts/projects/${PID}/rooms/nope/connect`, {});
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.message, 'room "nope" not found in project "local"');
    assert.equal((await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {}, { token: null })).status, 401);
    assert.equal((await t.api("GET", `/accounts/projects/${PID}/rooms/dev/connect`)).status, 405);
  });
});

describe("local room: room secrets", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "other"], platform: "0.39.9" });
  });
  after(() => t.dispose());

  it("creates, lists (never with values), gets, updates and deletes secrets per identity", async () => {
    const created = await t.api("POST", secretsPath(), { data_base64: b64("s3cret"), name: "db", type: "password", for_identity: "agent@x" });
    assert.equal(created.status, 200, created.text);
    const id: string = created.body.id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    const mine = await t.api("POST", secretsPath(), { data_base64: b64("v"), secret_id: "api-key" });
    assert.deepEqual(mine.body, { id: "api-key" });

    const listed = await t.api("GET", `${secretsPath()}?for_identity=agent@x`);
    assert.deepEqual(listed.body, { secrets: [{ id, type: "password", name: "db", delegated_to: null }] });
    assert.ok(!listed.text.includes(b64("s3cret")));
    assert.deepEqual((await t.api("GET", secretsPath())).body, {
      secrets: [{ id: "api-key", type: "application/octet-stream", name: "api-key", delegated_to: null }],
    });
    assert.deepEqual((await t.api("GET", secretsPath("other"))).body, { secrets: [] });

    const one = await t.api("GET", `${secretsPath()}/${id}?for_identity=agent@x`);
    assert.deepEqual(one.body, { id, type: "password", name: "db", delegated_to: null, data_base64: b64("s3cret") });
    assert.equal((await t.api("GET", `${secretsPath()}/${id}`)).status, 404, "another identity's secret is not found");

    assert.equal((await t.api("PUT", `${secretsPath()}/${id}?for_identity=agent@x`, { data_base64: b64("new") })).status, 200);
    const updated = (await t.api("GET", `${secretsPath()}/${id}?for_identity=agent@x`)).body;
    assert.deepEqual(updated, { id, type: "password", name: "db", delegated_to: null, data_base64: b64("new") });

    assert.equal((await t.api("DELETE", `${secretsPath()}/${id}?for_identity=agent@x`)).status, 200);
    assert.equal((await t.api("GET", `${secretsPath()}/${id}?for_identity=agent@x`)).status, 404);
  });

  it("an update carries for_identity in the body only, as api@c27d496 update_room_secret sends it", async () => {
    assert.equal((await t.api("POST", secretsPath(), { data_base64: b64("old"), secret_id: "body-id", for_identity: "web" })).status, 200);
    const put = await t.api("PUT", `${secretsPath()}/body-id`, { data_base64: b64("new"), for_identity: "web" });
    assert.equal(put.status, 200, put.text);
    assert.equal((await t.api("GET", `${secretsPath()}/body-id?for_identity=web`)).body.data_base64, b64("new"));
    assert.equal((await t.api("PUT", `${secretsPath()}/body-id?for_identity=other`, { data_base64: b64("x"), for_identity: "web" })).status, 400, "body and query disagree");
    assert.equal((await t.api("PUT", `${secretsPath()}/body-id`, { data_base64: b64("x"), for_identity: "other" })).status, 404);
  });

  it("answers 400 for a bad body and 404 for a missing room", async () => {
    const noData = await t.api("POST", secretsPath(), { name: "x" });
    assert.equal(noData.status, 400);
    assert.match(noData.body.error.message, /"data_base64" is required/);
    assert.equal((await t.api("POST", secretsPath(), { data_base64: "not base64!" })).status, 400);
    assert.equal((await t.api("POST", secretsPath(), { data_base64: b64("x"), name: 5 })).status, 400);
    assert.equal((await t.api("GET", secretsPath("ghost"))).status, 404);
  });

  it("works with the official client's room secret methods, and persists across a restart", async () => {
    const client = new sdk.Meshagent({ baseUrl: t.room.url, token: TOKEN });
    const id = await client.createRoomSecret({ projectId: PID, roomName: "other", data: new TextEncoder().encode("pw"), name: "pw", type: "password", forIdentity: "svc@x" });
    const listed = await client.listRoomSecrets({ projectId: PID, roomName: "other", forIdentity: "svc@x" });
    assert.deepEqual(listed, [{ id, type: "password", name: "pw", delegatedTo: null }]);
    const fetched = await client.getRoomSecret({ projectId: PID, roomName: "other", secretId: id, forIdentity: "svc@x" });
    assert.equal(new TextDecoder().decode(fetched.data), "pw");

    await t.room.close();
    const state = JSON.parse(await readFile(join(t.dataDir, "state.json"), "utf8"));
    assert.ok(state.secrets.some((secret: { id: string }) => secret.id === id));
    const again = await startLocalRoom({ dataDir: t.dataDir, token: TOKEN });
    try {
      const result = await call(again.url, "GET", `${secretsPath("other")}?for_identity=svc@x`);
      assert.deepEqual(result.body.secrets.map((secret: { id: string }) => secret.id), [id]);
    } finally {
      await again.close();
    }
  });
});
