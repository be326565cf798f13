// The managed view's token labels: a scope equal to a preset (in any key order, with undefined
// members) is labelled with the preset's name; anything else is a custom scope named by the hash
// of its canonical JSON, exactly as the label was made from the canonical text.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { viewOf, type NormalSpec, type ViewOptions } from "../../src/model/managed-view.js";
import type { JsonObject, ServiceSpec } from "../../src/model/service-spec.js";
import { apiScopePreset, specModelsFor } from "../../src/model/spec-model.js";
import { sha256Hex, stableStringify } from "../../src/model/stable-json.js";

const OPTIONS: ViewOptions = { ports: false, environment: true, mounts: new Set(), defaultIdentity: "web" };

function labelOf(api: JsonObject): string {
  const spec: ServiceSpec = { version: "v1", kind: "Service", metadata: { name: "web" }, container: { image: "acme/web:1", environment: [{ name: "MESHAGENT_TOKEN", token: { identity: "web", api, role: "agent" } }] } };
  // As normalised specs carry it (no second normalisation, which would fill or drop grants).
  return viewOf(spec as NormalSpec, OPTIONS).get("container.environment.MESHAGENT_TOKEN")!;
}

/** The same object with its keys in reverse order at every level. */
function reversed(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, v !== null && typeof v === "object" && !Array.isArray(v) ? reversed(v as JsonObject) : v]));
}

describe("managed view token labels", () => {
  for (const generation of ["0.39.9", "0.50.1"] as const) {
    for (const preset of ["agentDefault", "userDefault", "full"] as const) {
      it(`${generation} ${preset}: labelled by name in any key order; one grant changed is a custom scope`, () => {
        const scope = apiScopePreset(preset, specModelsFor(generation));
        assert.equal(labelOf(scope), `token:${preset}`);
        assert.equal(labelOf(reversed(scope)), `token:${preset}`);
        const [first] = Object.keys(scope);
        const changed = { ...scope, [first!]: { ...(scope[first!] as JsonObject), extra_grant: true } };
        assert.equal(labelOf(changed), `token:custom scope ${sha256Hex(stableStringify(changed)).slice(0, 12)}`);
        const { [first!]: _dropped, ...fewer } = scope;
        assert.match(labelOf(fewer as JsonObject), /^token:custom scope [0-9a-f]{12}$/);
      });
    }
  }
});
