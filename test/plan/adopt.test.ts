// Adopting a service the CLI built (issue 17 item 6): the plan says plainly that it rebuilds (no
// build record) and restarts, and that it takes over the route; --no-rebuild-on-adopt keeps the
// running image when the tag matches.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveService, Route } from "../../src/model/service-spec.js";
import { service } from "../helpers/services.js";

const built = service({
  tag: "registry.meshagent.com/local/web:1",
  image: "registry.meshagent.com/local/web:1",
  name: "local-web",
  manageEnvironment: false,
  build: { context: "/work/web", dockerfile: null },
  context: { hash: "a".repeat(64), changedFiles: null, since: null },
  ports: [{ num: 8000, type: "http", liveness: "/", published: true }],
  domain: "web.example.meshagent.app",
  validation: null,
});

const cliMade = (image: string): LiveService => ({
  id: "svc-1",
  version: "v1",
  kind: "Service",
  metadata: { name: "local-web", annotations: { "meshagent.service.id": "local-web", "meshagent.request.validation.method": "cookie" } },
  container: { image },
  ports: [{ num: 8000, type: "http", liveness: "/", published: true, annotations: { "meshagent.request.validation.method": "cookie" } }],
});

const cliRoute: Route = { domain: "web.example.meshagent.app", room_name: "dev", port: "8000", annotations: { "meshagent.service.id": "local-web" } };

function plan(live: LiveService, rebuildOnAdopt?: boolean) {
  return computePlan([built], { dev: { services: [live], routes: [cliRoute] } }, { owner: "shop", prune: false, ...(rebuildOnAdopt === undefined ? {} : { rebuildOnAdopt }) }).services[0]!;
}

describe("adopting a service meshdeploy did not build", () => {
  it("says it rebuilds and restarts (no build record) and takes over the route", () => {
    const planned = plan(cliMade("registry.meshagent.com/local/web:1"));
    assert.equal(planned.type, "update");
    assert.notEqual(planned.build, null);
    assert.equal(planned.restart, true);
    const notes = (planned.notes ?? []).join("\n");
    assert.match(notes, /no build record \(meshdeploy\.context-hash\), so apply rebuilds the image from \/work\/web and restarts the service; --no-rebuild-on-adopt keeps the running image/);
    assert.match(notes, /takes over the route web\.example\.meshagent\.app \(made outside meshdeploy\)/);
    assert.ok(planned.routes.some((r) => r.type === "update"), "the route gets meshdeploy's annotations");
  });

  it("--no-rebuild-on-adopt keeps the running image when the tag matches: no build, no restart, the context recorded", () => {
    const planned = plan(cliMade("registry.meshagent.com/local/web:1"), false);
    assert.equal(planned.build, null);
    assert.equal(planned.restart, false);
    assert.equal((planned.body?.["metadata"] as { annotations: Record<string, string> }).annotations["meshdeploy.context-hash"], "a".repeat(64));
    assert.match((planned.notes ?? []).join("\n"), /--no-rebuild-on-adopt: the running image registry\.meshagent\.com\/local\/web:1 is kept/);
  });

  it("--no-rebuild-on-adopt still rebuilds when the running image has another tag", () => {
    const planned = plan(cliMade("registry.meshagent.com/local/web:0"), false);
    assert.notEqual(planned.build, null);
    assert.equal(planned.restart, true);
  });
});
