// Routes (0.39 legacy shapes): create/409/404, get, update, delete, project and room listings.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PID, startTestRoom, type TestRoom } from "../helpers/local-room.js";

const ROUTES = `/accounts/projects/${PID}/routes`;
const roomRoutes = (room: string): string => `/accounts/projects/${PID}/rooms/${room}/routes`;

describe("local room: routes", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "staging"], platform: "0.39.9" });
  });
  after(() => t.dispose());

  it("creates, gets, updates and deletes a route", async () => {
    const created = await t.api("POST", ROUTES, { domain: "web.example.test", room_name: "dev", port: "8000", annotations: { "meshagent.service.id": "acme-web" } });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(created.body, {});
    const got = await t.api("GET", `${ROUTES}/web.example.test`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, { route: { domain: "web.example.test", room_name: "dev", port: "8000", annotations: { "meshagent.service.id": "acme-web" } } });

    const updated = await t.api("PUT", `${ROUTES}/web.example.test`, { room_name: "staging", port: "9000", annotations: null });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.body, {});
    assert.deepEqual((await t.api("GET", `${ROUTES}/web.example.test`)).body.route, {
      domain: "web.example.test",
      room_name: "staging",
      port: "9000",
      annotations: {},
    });

    assert.deepEqual((await t.api("DELETE", `${ROUTES}/web.example.test`)).body, {});
    const gone = await t.api("GET", `${ROUTES}/web.example.test`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.message, `route for domain "web.example.test" not found in project "local"`);
    assert.equal((await t.api("DELETE", `${ROUTES}/web.example.test`)).status, 404);
    assert.equal((await t.api("PUT", `${ROUTES}/web.example.test`, { room_name: "dev", port: "1" })).status, 404);
  });

  it("answers 409 for an existing domain and 404 for a missing room", async () => {
    assert.equal((await t.api("POST", ROUTES, { domain: "dup.example.test", room_name: "dev", port: "8000", annotations: {} })).status, 200);
    const again = await t.api("POST", ROUTES, { domain: "dup.example.test", room_name: "dev", port: "8001", annotations: {} });
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /a route for domain "dup.example.test" already exists/);
    const noRoom = await t.api("POST", ROUTES, { domain: "lost.example.test", room_name: "nope", port: "8000", annotations: {} });
    assert.equal(noRoom.status, 404);
    assert.equal(noRoom.body.error.message, `room "nope" not found in project "local"`);
    const putNoRoom = await t.api("PUT", `${ROUTES}/dup.example.test`, { room_name: "nope", port: "8000" });
    assert.equal(putNoRoom.status, 404);
  });

  it("accepts an integer port, storing it as the wire string", async () => {
    assert.equal((await t.api("POST", ROUTES, { domain: "int.example.test", room_name: "dev", port: 8080 })).status, 200);
    assert.equal((await t.api("GET", `${ROUTES}/int.example.test`)).body.route.port, "8080");
  });

  it("answers 400 for bad bodies, naming the field", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ room_name: "dev", port: "8000" }, /"domain" is required/],
      [{ domain: "a.example.test", port: "8000" }, /"room_name" is required/],
      [{ domain: "a.example.test", room_name: "dev" }, /"port" must be a port number/],
      [{ domain: "a.example.test", room_name: "dev", port: "http" }, /"port" must be a port number/],
      [{ domain: "a.example.test", room_name: "dev", port: "70000" }, /"port" must be a port number/],
      [{ domain: "a.example.test", room_name: "dev", port: "80", annotations: { k: 1 } }, /"annotations\.k" must be a string/],
      [{ domain: "a/b", room_name: "dev", port: "80" }, /"domain" must be a host name/],
      [{ spec: { kind: "Route" } }, /RouteSpec bodies/],
    ];
    for (const [body, message] of cases) {
      const result = await t.api("POST", ROUTES, body);
      assert.equal(result.status, 400, JSON.stringify(body));
      assert.match(result.body.error.message, message);
    }
  });

  it("lists project and room routes with count/offset and the full total", async () => {
    const fresh = await startTestRoom({ rooms: ["dev", "staging"], platform: "0.39.9" });
    try {
      for (let index = 0; index < 7; index += 1) {
        const room = index % 2 === 0 ? "dev" : "staging";
        assert.equal((await fresh.api("POST", ROUTES, { domain: `r${index}.example.test`, room_name: room, port: "8000", annotations: {} })).status, 200);
      }
      const all = await fresh.api("GET", ROUTES);
      assert.equal(all.status, 200);
      assert.equal(all.body.total, 7);
      assert.deepEqual(all.body.routes.map((route: { domain: string }) => route.domain), [0, 1, 2, 3, 4, 5, 6].map((i) => `r${i}.example.test`));

      const page = await fresh.api("GET", `${ROUTES}?count=3&offset=2`);
      assert.deepEqual(page.body.routes.map((route: { domain: string }) => route.domain), ["r2.example.test", "r3.example.test", "r4.example.test"]);
      assert.equal(page.body.total, 7);
      assert.deepEqual((await fresh.api("GET", `${ROUTES}?count=3&offset=6`)).body.routes.length, 1);
      assert.deepEqual((await fresh.api("GET", `${ROUTES}?offset=100`)).body, { routes: [], total: 7 });

      const dev = await fresh.api("GET", `${roomRoutes("dev")}?count=2&offset=1&filter=`);
      assert.equal(dev.status, 200);
      assert.deepEqual(dev.body.routes.map((route: { domain: string }) => route.domain), ["r2.example.test", "r4.example.test"]);
      assert.equal(dev.body.total, 4);
      assert.equal((await fresh.api("GET", roomRoutes("staging"))).body.total, 3);

      const missing = await fresh.api("GET", roomRoutes("nope"));
      assert.equal(missing.status, 404);
      for (const query of ["count=-1", "count=abc", "offset=1.5"]) {
        const bad = await fresh.api("GET", `${ROUTES}?${query}`);
        assert.equal(bad.status, 400, query);
        assert.match(bad.body.error.message, /must be a non-negative integer/);
      }
      assert.equal((await fresh.api("GET", `${ROUTES}?count=5000`)).status, 200, "count above 1000 is clamped");
    } finally {
      await fresh.dispose();
    }
  });

  it("decodes an encoded domain in the path", async () => {
    assert.equal((await t.api("POST", ROUTES, { domain: "enc.example.test", room_name: "dev", port: "8000" })).status, 200);
    assert.equal((await t.api("GET", `${ROUTES}/enc%2Eexample.test`)).status, 200);
  });
});
