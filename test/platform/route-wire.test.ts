// Route bodies and answers of both generations, checked against the bodies MeshAgent's own models
// produce (shared/meshagent/spec-vectors-*.json `routes`, ground truth), through a real
// MeshagentTarget talking to a loopback server that records what arrives.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { buildRouteSpec, unmanagedRouteShape } from "../../src/model/route-spec.js";
import type { Route } from "../../src/model/service-spec.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { defaultRetryPolicy } from "../../src/platform/retry.js";
import { parseRoute, parseRouteAnswer, parseRoutes } from "../../src/platform/payloads.js";

const vectors = (version: string): any => JSON.parse(readFileSync(new URL(`../fixtures/spec-vectors-${version}.json`, import.meta.url), "utf8")).routes;
const V50 = vectors("0.50.1");
const V39 = vectors("0.39.9");

interface Seen {
  method: string;
  url: string;
  body: string;
}

describe("route wire", () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  let conflict = false;
  let routeAnswer: unknown = null;
  before(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () => {
        seen.push({ method: request.method ?? "", url: request.url ?? "", body });
        response.setHeader("Content-Type", "application/json");
        if (request.method === "POST" && conflict) response.statusCode = 409;
        if (request.method === "GET" && request.url?.startsWith("/accounts/projects/p1/routes/")) return response.end(JSON.stringify({ route: routeAnswer }));
        response.end("{}");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const target = (version: string): MeshagentTarget => new MeshagentTarget({ apiUrl: url, token: "t", projectId: "p1", platform: { version, source: "flag" }, retry: { ...defaultRetryPolicy, attempts: 1 } });
  const route: Route = { domain: "web.example.test", room_name: "r1", port: "8000", annotations: { "meshagent.service.id": "svc_1" } };

  const writes = async (version: string, r = route): Promise<Seen[]> => {
    seen.length = 0;
    conflict = false;
    const t = target(version);
    assert.equal(await t.createRoute(r), "created");
    await t.updateRoute(r);
    await t.close();
    return seen.filter((s) => s.method !== "GET");
  };

  it("0.50.1 writes {spec: RouteSpec} for create and update, byte for byte as the 0.50.1 models", async () => {
    const [create, update] = await writes("0.50.1");
    assert.deepEqual([create?.method, create?.url], [V50.create.method, V50.create.path]);
    assert.equal(create?.body, JSON.stringify(V50.create.body));
    assert.equal(create?.body, JSON.stringify(V50.create_legacy_args.body));
    assert.deepEqual([update?.method, update?.url], [V50.update.method, V50.update.path]);
    assert.equal(update?.body, JSON.stringify(V50.update.body));
    const [bare] = await writes("0.50.1", { ...route, annotations: {} });
    assert.equal(bare?.body, JSON.stringify(V50.create_legacy_args_no_annotations.body));
  });

  it("0.40.3 is the first version with spec bodies; 0.40.2 and 0.39.9 send today's flat bodies, byte for byte as 0.39.9", async () => {
    assert.equal((await writes("0.40.3"))[0]?.body, JSON.stringify(V50.create.body));
    for (const version of ["0.39.9", "0.40.2"]) {
      const [create, update] = await writes(version);
      assert.deepEqual([create?.method, create?.url, create?.body], [V39.create.method, V39.create.path, JSON.stringify(V39.create.body)]);
      assert.deepEqual([update?.method, update?.url, update?.body], [V39.update.method, V39.update.path, JSON.stringify(V39.update.body)]);
    }
  });

  it("buildRouteSpec is the spec of the 0.50.1 vectors, and what the 0.50.1 server model makes of a legacy create", () => {
    assert.equal(JSON.stringify({ spec: buildRouteSpec("web.example.test", "r1", "8000", { "meshagent.service.id": "svc_1" }) }), JSON.stringify(V50.server_model_on_legacy_body.create_parsed));
  });

  it("a 409 reads the existing route in the spec shape", async () => {
    const t = target("0.50.1");
    conflict = true;
    routeAnswer = V50.answer_parse.spec_shape.dump;
    assert.equal(await t.createRoute(route), "conflict");
    const existing = await t.getRoute(route.domain);
    assert.deepEqual([existing?.room_name, existing?.port, existing?.annotations], [V50.answer_parse.spec_shape.room_name, V50.answer_parse.spec_shape.port, V50.answer_parse.spec_shape.annotations]);
    routeAnswer = V39.answer_parse.legacy;
    assert.deepEqual(await t.getRoute(route.domain), V39.answer_parse.legacy);
    await t.close();
  });
});

describe("route answers", () => {
  it("legacy answers stay exactly the flat Route (no shape)", () => {
    assert.deepEqual(parseRoute(V39.answer_parse.legacy, "GET x", "route"), V39.answer_parse.legacy);
    assert.deepEqual(parseRoutes({ routes: [V39.answer_parse.legacy], total: 1 }, "GET x"), { routes: [V39.answer_parse.legacy], total: 1 });
    assert.equal(parseRouteAnswer({}, "GET x"), null);
  });

  it("{domain, spec} answers give room_name, port and annotations as the 0.50.1 Route properties, and a single-port shape", () => {
    for (const key of ["legacy", "spec_shape"] as const) {
      const c = V50.answer_parse[key];
      const r = parseRoute(c.dump, "GET x", "route");
      assert.deepEqual([r.domain, r.room_name, r.port, r.annotations], ["web.example.test", c.room_name, c.port, c.annotations]);
      assert.equal(unmanagedRouteShape(r.shape), null);
    }
  });

  it("multi-path, content and agent routes are recognised", () => {
    const extra = parseRoute({ domain: "web.example.test", spec: V50.create_extra_ports.body.spec }, "GET x", "route");
    assert.equal(extra.port, "8000");
    assert.equal(unmanagedRouteShape(extra.shape), "paths / → port 8000, /messages → port 3001, /assist → port assistant:8001");
    const spec = V50.create.body.spec;
    const content = parseRoute({ domain: "d", spec: { ...spec, paths: [{ path: "/", pathType: "prefix", targetContent: { subpath: "site" } }] } }, "GET x", "route");
    assert.equal(unmanagedRouteShape(content.shape), "paths / → room content");
    const agent = parseRoute({ domain: "d", spec: { ...spec, backend: { room: null, agent: { name: "helper" } } } }, "GET x", "route");
    assert.equal(agent.room_name, "");
    assert.equal(unmanagedRouteShape(agent.shape), "agent helper backend, paths / → port 8000");
  });

  it("an answer with neither shape is E_API_PAYLOAD naming the request", () => {
    assert.throws(() => parseRoutes({ routes: [{ domain: "d" }] }, "GET /r"), /GET \/r: unexpected answer: routes\[0\] has no domain or room_name/);
    assert.throws(() => parseRoutes({ routes: [{ domain: "d", spec: { backend: {} } }] }, "GET /r"), /routes\[0\] has no domain or backend room\/agent name/);
  });
});
