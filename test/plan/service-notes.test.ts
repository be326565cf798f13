// Notes a planned service carries: the server's default template (0.41.4+) and what adopting does.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adoptNotes, createNotes, withNotes } from "../../src/plan/service-notes.js";
import { PLATFORM_0_39 } from "../../src/model/wire.js";
import type { LiveService } from "../../src/model/service-spec.js";
import { service } from "../helpers/services.js";

const live = { id: "s1", metadata: { name: "acme-web", annotations: {} }, container: { image: "acme/web:1" } } as unknown as LiveService;

describe("plan/service-notes", () => {
  it("an empty list adds no `notes` key", () => {
    assert.deepEqual(withNotes([]), {});
    assert.deepEqual(withNotes(["x"]), { notes: ["x"] });
  });

  it("no template note on 0.39 (the server has no default template there)", () => {
    assert.deepEqual(createNotes(service({ template: null }), PLATFORM_0_39), []);
  });

  it("adopting a built service says it is rebuilt; taking over a route made elsewhere says so", () => {
    const s = service({ domain: "web.example.com" });
    const notes = adoptNotes(s, live, [{ domain: "web.example.com", annotations: {} } as never], { build: true, keptImage: false, restart: true });
    assert.equal(notes.length, 2, notes.join("\n"));
    assert.match(notes[0]!, /^adopting a service meshdeploy did not build/);
    assert.match(notes[1]!, /^takes over the route web\.example\.com/);
    assert.deepEqual(adoptNotes(service(), live, null, { build: false, keptImage: false, restart: false }), []);
  });
});
