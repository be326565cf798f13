// planRoutes on RouteSpec answers: a route that is more than one room port at "/" is never
// rewritten or deleted; a single-port spec route is managed like a legacy one.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { planRoutes, routesOfDeleted } from "../../src/plan/plan-routes.js";
import { parseRoute } from "../../src/platform/payloads.js";
import type { ResolvedService } from "../../src/model/wire.js";

const V50 = JSON.parse(readFileSync(new URL("../fixtures/spec-vectors-0.50.1.json", import.meta.url), "utf8")).routes;
const DOMAIN = "web.example.test";
const PORTS = [{ num: 8000, type: "http" as const, liveness: null, published: true }];
const multi = parseRoute({ domain: DOMAIN, spec: { ...V50.create_extra_ports.body.spec, backend: { room: { name: "dev" }, agent: null } } }, "GET x", "route");
const single = parseRoute({ domain: DOMAIN, spec: { ...V50.create.body.spec, backend: { room: { name: "dev" }, agent: null }, paths: [{ path: "/", pathType: "prefix", targetPort: "9000" }] } }, "GET x", "route");
const service = { name: "acme-web", room: "dev", domain: DOMAIN } as ResolvedService;

describe("planRoutes with RouteSpec routes", () => {
  it("a multi-path route is a problem naming the domain and its paths; no step", () => {
    const plan = planRoutes(service, PORTS, null, [multi], "shop");
    assert.deepEqual(plan.steps, []);
    assert.equal(
      plan.problem?.message,
      `domain ${DOMAIN} has a route meshdeploy cannot manage (paths / → port 8000, /messages → port 3001, /assist → port assistant:8001); meshdeploy manages only single-port routes (one room port at "/") and will not rewrite or delete it`,
    );
    assert.match(plan.problem?.hint ?? "", /remove `domain: web\.example\.test` from this service/);
  });

  it("also when meshdeploy owns it, or it routes another room; and it is not deleted with a pruned service", () => {
    const owned = { ...multi, annotations: { "meshagent.service.id": "acme-web", "meshdeploy.managed-by": "meshdeploy", "meshdeploy.owner": "shop" } };
    assert.match(planRoutes(service, PORTS, null, [owned], "shop").problem?.message ?? "", /cannot manage/);
    assert.match(planRoutes(service, PORTS, null, [{ ...multi, room_name: "prod" }], "shop").problem?.message ?? "", /cannot manage/);
    const live = { id: "s1", version: "v1", kind: "Service", metadata: { name: "acme-web", annotations: { "meshdeploy.domain": DOMAIN } } } as never;
    assert.match(planRoutes({ ...service, domain: "other.example.test" }, PORTS, live, [owned], "shop").problem?.message ?? "", /cannot manage/);
    assert.deepEqual(routesOfDeleted(live, [owned], "shop"), []);
    assert.deepEqual(routesOfDeleted(live, [{ ...single, annotations: owned.annotations }], "shop"), [{ type: "delete", domain: DOMAIN }]);
  });

  it("a single-port spec route in the room is updated like a legacy one", () => {
    const plan = planRoutes(service, PORTS, null, [single], "shop");
    assert.equal(plan.problem, null);
    assert.deepEqual(plan.steps.map((s) => [s.type, s.type === "delete" ? null : s.port]), [["update", "8000"]]);
    assert.deepEqual(plan.changes, [{ path: `route[${DOMAIN}]`, before: "dev:9000", after: "dev:8000" }]);
  });
});
