// Ports from a Dockerfile's EXPOSE (new-user audit, item 18): the plan says where they came from
// and how they are written, and only when the config declares none and the live service has none.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveService } from "../../src/model/service-spec.js";
import { service } from "../helpers/services.js";

const OPTIONS = { owner: "shop", prune: false };
const exposed = service({ ports: null, defaultPorts: [{ num: 8080, type: "http", liveness: "/", published: true }] });
const NOTE = "no `ports:` declared: the ports come from the Dockerfile's `EXPOSE 8080`, written as 8080 (published, liveness /) by the MeshAgent CLI's rules; declare `ports:` to choose";

describe("EXPOSE notes", () => {
  it("a create with ports from EXPOSE names them, as written", () => {
    const planned = computePlan([exposed], {}, OPTIONS).services[0]!;
    assert.ok(planned.notes?.includes(NOTE), JSON.stringify(planned.notes));
    assert.ok(planned.changes.some((c) => c.path === "ports[8080].published" && c.after === "true"));
  });

  it("no note when `ports:` is declared, or the live service's ports are kept", () => {
    const declared = service({ ports: [{ num: 8080, type: "http", liveness: null, published: true }], defaultPorts: [{ num: 8080, type: "http", liveness: null, published: null }] });
    assert.equal(computePlan([declared], {}, OPTIONS).services[0]?.notes?.some((n) => n.includes("EXPOSE")) ?? false, false);
    const live: LiveService = { id: "s1", version: "v1", kind: "Service", metadata: { name: exposed.name, annotations: {} }, container: { image: exposed.image }, ports: [{ num: 9000, type: "http" }] };
    const adopted = computePlan([exposed], { dev: { services: [live], routes: null } }, OPTIONS).services[0]!;
    assert.equal(adopted.notes?.some((n) => n.includes("EXPOSE")) ?? false, false);
  });

  it("an update keeps the context's notes beside what adopting does (one list, not the last one)", () => {
    const noted = service({ notes: ["from the context"], domain: null });
    const live: LiveService = { id: "s1", version: "v1", kind: "Service", metadata: { name: noted.name, annotations: {} }, container: { image: "acme/web:0" } };
    const planned = computePlan([noted], { dev: { services: [live], routes: null } }, OPTIONS).services[0]!;
    assert.equal(planned.notes?.[0], "from the context");
    assert.ok((planned.notes ?? []).some((n) => n.startsWith("adopting changes the container")), JSON.stringify(planned.notes));
  });
});
