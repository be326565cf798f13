// Routes at platform 0.50.1: `{"spec": RouteSpec}` bodies (the bodies the real 0.50.1 client sent,
// from /work/shared/meshagent/spec-vectors-0.50.1.json `routes`), `{domain, spec}` answers, the
// RouteSpec rules, legacy flat bodies (migrated when lenient, refused when strict) and paging.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { startTestRoom, type TestRoom } from "../helpers/local-room.js";

interface RouteCall { method: string; path: string; body: { spec: Record<string, unknown> } }
interface RouteVectors {
  create: RouteCall;
  create_extra_ports: RouteCall;
  create_legacy_args: RouteCall;
  create_legacy_args_no_annotations: RouteCall;
  update: RouteCall;
  server_model_on_legacy_body: { create_legacy_body: Record<string, unknown>; create_parsed: { spec: Record<string, unknown> }; update_legacy_body: Record<string, unknown> };
  answer_parse: Record<string, { dump: { domain: string; spec: Record<string, unknown> } }>;
  routespec_errors: Record<string, { input: Record<string, unknown>; error: { errors: { loc: (string | number)[]; msg: string }[] } }>;
}

const ROUTES = (JSON.parse(readFileSync(new URL("../fixtures/spec-vectors-0.50.1.json", import.meta.url), "utf8")) as { routes: RouteVectors }).routes;
const BASE = "/accounts/projects/p1/routes";
const DOMAIN = "web.example.test";

describe("local room 0.50.1 (lenient): routes", { timeout: 30_000 }, () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1", projectId: "p1", rooms: ["r1", "r2"] });
  });
  after(() => t.dispose());

  for (const name of ["create", "create_extra_ports", "create_legacy_args", "create_legacy_args_no_annotations"] as const) {
    it(`stores the 0.50.1 client's ${name} body and answers it as {domain, spec}`, async () => {
      const vector = ROUTES[name];
      assert.equal(vector.path, BASE);
      const created = await t.api(vector.method, vector.path, vector.body);
      assert.equal(created.status, 200, created.text);
      assert.deepEqual(created.body, {});
      try {
        assert.deepEqual((await t.api("GET", `${BASE}/${DOMAIN}`)).body, { route: { domain: DOMAIN, spec: vector.body.spec } });
        const listed = await t.api("GET", "/accounts/projects/p1/rooms/r1/routes?count=100&offset=0");
        assert.deepEqual(listed.body, { routes: [{ domain: DOMAIN, spec: vector.body.spec }], total: 1 });
        assert.equal((await t.api(vector.method, vector.path, vector.body)).status, 409);
      } finally {
        await t.api("DELETE", `${BASE}/${DOMAIN}`);
      }
    });
  }

  it("updates with the 0.50.1 client's PUT body, and refuses a spec for another domain", async () => {
    await t.api("POST", BASE, ROUTES.create.body);
    const moved = structuredClone(ROUTES.update.body);
    (moved.spec.backend as { room: { name: string } }).room.name = "r2";
    assert.equal(ROUTES.update.path, `${BASE}/${DOMAIN}`);
    const updated = await t.api("PUT", ROUTES.update.path, moved);
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual((await t.api("GET", `${BASE}/${DOMAIN}`)).body.route, { domain: DOMAIN, spec: moved.spec });
    assert.deepEqual((await t.api("GET", "/accounts/projects/p1/rooms/r2/routes")).body.total, 1);
    const other = structuredClone(moved);
    other.spec.domain = "elsewhere.example.test";
    const refused = await t.api("PUT", ROUTES.update.path, other);
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /spec "domain" \("elsewhere\.example\.test"\) does not match the domain in the path/);
    const noRoom = structuredClone(moved);
    (noRoom.spec.backend as { room: { name: string } }).room.name = "ghost";
    assert.equal((await t.api("PUT", ROUTES.update.path, noRoom)).status, 404);
    await t.api("DELETE", `${BASE}/${DOMAIN}`);
  });

  it("migrates a legacy flat create body as the server's model would, and fills a legacy PUT's domain from the path", async () => {
    const legacy = ROUTES.server_model_on_legacy_body;
    assert.equal((await t.api("POST", BASE, legacy.create_legacy_body)).status, 200);
    assert.deepEqual((await t.api("GET", `${BASE}/${DOMAIN}`)).body.route, { domain: DOMAIN, spec: legacy.create_parsed.spec });
    const put = await t.api("PUT", `${BASE}/${DOMAIN}`, { ...legacy.update_legacy_body, port: "9000" });
    assert.equal(put.status, 200, put.text);
    const spec = (await t.api("GET", `${BASE}/${DOMAIN}`)).body.route.spec;
    assert.deepEqual(spec.paths, [{ path: "/", pathType: "prefix", targetPort: "9000" }]);
    await t.api("DELETE", `${BASE}/${DOMAIN}`);
  });

  for (const [name, vector] of Object.entries(ROUTES.routespec_errors)) {
    it(`refuses an invalid RouteSpec: ${name}`, async () => {
      const refused = await t.api("POST", BASE, { spec: vector.input });
      assert.equal(refused.status, 400, refused.text);
      for (const error of vector.error.errors) {
        const path = error.loc.reduce<string>((at, part) => (typeof part === "number" ? `${at}[${part}]` : `${at}.${part}`), "spec");
        assert.ok(refused.body.error.message.includes(`${path}: ${error.msg}`), `${refused.body.error.message}\n  lacks ${path}: ${error.msg}`);
      }
    });
  }

  it("accepts an agent backend (no paths, no room) and keeps it out of room listings", async () => {
    const spec = { metadata: { name: "agent.example.test" }, domain: "agent.example.test", backend: { agent: { name: "assistant" } } };
    assert.equal((await t.api("POST", BASE, { spec })).status, 200);
    assert.deepEqual((await t.api("GET", `${BASE}/agent.example.test`)).body.route.spec, {
      version: "v1", kind: "Route", metadata: { name: "agent.example.test", annotations: {} }, domain: "agent.example.test",
      backend: { room: null, agent: { name: "assistant" } }, paths: [],
    });
    assert.equal((await t.api("GET", "/accounts/projects/p1/rooms/r1/routes")).body.total, 0);
    await t.api("DELETE", `${BASE}/agent.example.test`);
  });

  it("pages the project listing with page_size and continuation_token", async () => {
    for (const host of ["a", "b", "c"]) {
      const spec = structuredClone(ROUTES.create.body.spec);
      spec.domain = `${host}.example.test`;
      (spec.metadata as { name: string }).name = `${host}.example.test`;
      assert.equal((await t.api("POST", BASE, { spec })).status, 200);
    }
    const first = await t.api("GET", `${BASE}?page_size=2`);
    assert.deepEqual(first.body.routes.map((route: { domain: string }) => route.domain), ["a.example.test", "b.example.test"]);
    assert.equal(first.body.total, 3);
    const second = await t.api("GET", `${BASE}?page_size=2&continuation_token=${first.body.continuation_token}`);
    assert.deepEqual(second.body.routes.map((route: { domain: string }) => route.domain), ["c.example.test"]);
    assert.equal(second.body.continuation_token, null);
  });
});

describe("local room 0.50.1 (strict): routes", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1", strictness: "strict", projectId: "p1", rooms: ["r1"] });
  });
  after(() => t.dispose());

  it("refuses legacy flat bodies and accepts {spec}", async () => {
    const legacy = await t.api("POST", BASE, ROUTES.server_model_on_legacy_body.create_legacy_body);
    assert.equal(legacy.status, 400);
    assert.match(legacy.body.error.message, /route bodies are \{"spec": RouteSpec\} at MeshAgent 0\.50\.1 \(this local room is strict\)/);
    assert.equal((await t.api("POST", BASE, ROUTES.create.body)).status, 200);
    assert.equal((await t.api("PUT", `${BASE}/${DOMAIN}`, ROUTES.server_model_on_legacy_body.update_legacy_body)).status, 400);
    assert.equal((await t.api("PUT", `${BASE}/${DOMAIN}`, ROUTES.update.body)).status, 200);
    assert.deepEqual((await t.api("GET", `${BASE}/${DOMAIN}`)).body, { route: { domain: DOMAIN, spec: ROUTES.update.body.spec } });
  });
});
