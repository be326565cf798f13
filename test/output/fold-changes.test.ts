// Bookkeeping shown as bookkeeping (new-user audit, item 18): an adopt plan's meshdeploy
// annotations and a route whose port stays fold into one line; a port annotation repeating the
// service's is not listed twice; --verbose and the JSON keep every change.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { foldChanges } from "../../src/output/fold-changes.js";
import { planToJson } from "../../src/output/render-plan-json.js";
import { renderServiceBlock } from "../../src/output/render-plan.js";
import { plain } from "../../src/output/style.js";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveService, Route } from "../../src/model/service-spec.js";
import { service } from "../helpers/services.js";

const declared = service({ tag: "acme/web:1", image: "acme/web:1", name: "acme-web", manageEnvironment: false, ports: [{ num: 8000, type: "http", liveness: "/", published: true }], domain: "web.example.test", validation: null });
const cliMade: LiveService = {
  id: "svc-1",
  version: "v1",
  kind: "Service",
  metadata: { name: "acme-web", annotations: { "meshagent.service.id": "acme-web", "meshagent.request.validation.method": "cookie" } },
  container: { image: "acme/web:1" },
  ports: [{ num: 8000, type: "http", liveness: "/", published: true, annotations: { "meshagent.request.validation.method": "cookie" } }],
};
const cliRoute: Route = { domain: "web.example.test", room_name: "dev", port: "8000", annotations: { "meshagent.service.id": "acme-web" } };

describe("bookkeeping in the human plan", () => {
  it("an adopt plan: meshdeploy's annotations and the route taken over as it is are one line; --verbose and JSON keep each", () => {
    const planned = computePlan([declared], { dev: { services: [cliMade], routes: [cliRoute] } }, { owner: "shop", prune: false }).services[0]!;
    assert.equal(planned.type, "update");
    const lines = renderServiceBlock(planned, plain, { verbose: false });
    const changeLines = lines.filter((l) => /^ {6}[+~-] /.test(l));
    assert.deepEqual(changeLines, ["      ~ meshdeploy bookkeeping (managed-by, owner, domain, declared, route web.example.test annotations; --verbose shows each)"]);
    assert.equal(lines.some((l) => l.includes("dev:8000 → dev:8000")), false);
    const verbose = renderServiceBlock(planned, plain, { verbose: true });
    assert.ok(verbose.includes("      + metadata.annotations.meshdeploy.declared = ports"), verbose.join("\n"));
    assert.ok(verbose.includes("      ~ route[web.example.test]: dev:8000 → dev:8000"), verbose.join("\n"));
    const json = planToJson({ owner: "shop", prune: false, services: [planned], problems: [], orphans: [], summary: { create: 0, update: 1, delete: 0, noop: 0 } });
    assert.ok((json.services as { changes: { path: string }[] }[])[0]!.changes.some((c) => c.path === "metadata.annotations.meshdeploy.owner"));
  });

  it("a create does not list the validation method twice; protect stays a field line", () => {
    const folded = foldChanges([
      { path: "metadata.annotations.meshagent.request.validation.method", before: null, after: "cookie" },
      { path: "ports[8080].liveness", before: null, after: "/" },
      { path: "ports[8080].annotations.meshagent.request.validation.method", before: null, after: "cookie" },
      { path: "ports[9090].annotations.meshagent.request.validation.method", before: null, after: "none" },
      { path: "metadata.annotations.meshdeploy.protect", before: null, after: "true" },
      { path: "metadata.annotations.meshdeploy.spec-hash", before: "a", after: "b" },
    ]);
    assert.deepEqual(folded.shown.map((s) => [s.change.path, s.also]), [
      ["metadata.annotations.meshagent.request.validation.method", ["ports[8080]"]],
      ["ports[8080].liveness", []],
      ["ports[9090].annotations.meshagent.request.validation.method", []],
      ["metadata.annotations.meshdeploy.protect", []],
    ]);
    assert.deepEqual(folded.bookkeeping, ["spec-hash"]);
    assert.equal(folded.added, false);
  });
});
