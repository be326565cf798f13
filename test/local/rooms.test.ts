// Rooms: create (409 / if_not_exists / invalid names), get, list.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PID, startTestRoom, type TestRoom } from "../helpers/local-room.js";

const ROOMS = `/accounts/projects/${PID}/rooms`;

describe("local room: rooms", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "staging"] });
  });
  after(() => t.dispose());

  it("creates the rooms named in the options at start", async () => {
    const result = await t.api("GET", ROOMS);
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.rooms.map((room: { name: string }) => room.name), ["dev", "staging"]);
    assert.equal(result.body.total, 2);
  });

  it("creates a room and returns the Room shape", async () => {
    const result = await t.api("POST", ROOMS, { name: "qa", annotations: { team: "web" } });
    assert.equal(result.status, 200);
    assert.deepEqual(Object.keys(result.body), ["id", "name", "metadata", "annotations"]);
    assert.match(result.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(result.body.name, "qa");
    assert.deepEqual(result.body.metadata, {});
    assert.deepEqual(result.body.annotations, { team: "web" });
    const fetched = await t.api("GET", `${ROOMS}/qa`);
    assert.deepEqual(fetched.body, result.body);
  });

  it("accepts the Python client's body with explicit nulls", async () => {
    const result = await t.api("POST", ROOMS, { name: "py", if_not_exists: false, metadata: null, annotations: null, permissions: null });
    assert.equal(result.status, 200);
    assert.deepEqual(result.body.metadata, {});
    assert.deepEqual(result.body.annotations, {});
  });

  it("answers 409 for an existing name, or the existing room with if_not_exists", async () => {
    const existing = await t.api("GET", `${ROOMS}/dev`);
    const again = await t.api("POST", ROOMS, { name: "dev" });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.message, `room "dev" already exists in project "local"`);
    const idempotent = await t.api("POST", ROOMS, { name: "dev", if_not_exists: true });
    assert.equal(idempotent.status, 200);
    assert.deepEqual(idempotent.body, existing.body);
  });

  it("answers 400 for invalid room names", async () => {
    for (const name of ["", "Dev", "-dev", "dev-", "dev_1", "a".repeat(64), "dev/x"]) {
      const result = await t.api("POST", ROOMS, { name });
      assert.equal(result.status, 400, JSON.stringify(name));
      assert.match(result.body.error.message, /room name/);
    }
    assert.equal((await t.api("POST", ROOMS, { name: "a".repeat(63) })).status, 200);
    assert.equal((await t.api("POST", ROOMS, { name: "7" })).status, 200);
    const missing = await t.api("POST", ROOMS, {});
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /"name" is required/);
  });

  it("answers 404 naming room and project for a missing room", async () => {
    const result = await t.api("GET", `${ROOMS}/nope`);
    assert.equal(result.status, 404);
    assert.equal(result.body.error.message, `room "nope" not found in project "local"`);
  });

  it("lists rooms sorted by name with limit/offset and the full total", async () => {
    const all = (await t.api("GET", ROOMS)).body;
    const page = await t.api("GET", `${ROOMS}?limit=2&offset=1&order_by=room_name`);
    assert.equal(page.status, 200);
    assert.equal(page.body.total, all.total);
    assert.deepEqual(page.body.rooms, all.rooms.slice(1, 3));
    const names = all.rooms.map((room: { name: string }) => room.name);
    assert.deepEqual(names, [...names].sort());
  });
});
