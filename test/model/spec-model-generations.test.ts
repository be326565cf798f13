// The two generation tables (src/model/spec-models-0.39.9.ts, spec-models-0.50.1.ts) where the
// vectors in test/fixtures/spec-vectors-*.json do not reach. Expected values are written by hand from
// meshagent-api@c27d496 (0.39.9) and @6d950a5 (0.50.1). Pure: no I/O.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { JsonObject, ServiceSpec } from "../../src/model/service-spec.js";
import { apiScopePreset, dumpServiceSpec, normalizeApiScope, specModelsFor, validateServiceSpec } from "../../src/model/spec-model.js";
import { API_SCOPE_PRESETS, MODELS, SPEC_GENERATIONS } from "../../src/model/spec-model-table.js";
import type { FieldType } from "../../src/model/spec-model-types.js";

const V039 = specModelsFor("0.39.9");
const V050 = specModelsFor("0.50.1");

function assertSameJson(actual: unknown, expected: unknown): void {
  assert.deepEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

const withAgents = (agents: unknown[]): ServiceSpec =>
  ({ version: "v1", kind: "Service", metadata: { name: "x" }, agents, container: { image: "i" } }) as ServiceSpec;
const heartbeat = (prompt: unknown[]): unknown[] => [{ name: "a", heartbeat: { queue: "q", minutes: 5, prompt } }];

describe("generation tables", () => {
  it("specModelsFor returns each generation, and MODELS / API_SCOPE_PRESETS stay the 0.39.9 ones", () => {
    assert.deepEqual(SPEC_GENERATIONS.map((g) => specModelsFor(g).generation), ["0.39.9", "0.50.1"]);
    assert.equal(MODELS, V039.models);
    assert.equal(API_SCOPE_PRESETS, V039.apiScopePresets);
  });

  it("every model reference and every foreign key's model resolves, and no foreign key is a field", () => {
    const refs = (t: FieldType): string[] => {
      switch (t.t) {
        case "model": return [t.name];
        case "optional": case "list": case "dict": return refs(t.of);
        case "union": return t.of.flatMap(refs);
        case "tagged": return Object.values(t.choices);
        default: return [];
      }
    };
    for (const gen of [V039, V050]) {
      for (const [name, spec] of Object.entries(gen.models)) {
        for (const field of spec.fields) {
          for (const ref of refs(field.type)) assert.ok(gen.models[ref], `${gen.generation} ${name}.${field.name} → ${ref}`);
          const p = field.presence;
          if ("factory" in p && p.factory !== "list") assert.ok(gen.models[p.factory.model]);
        }
      }
      for (const [name, keys] of Object.entries(gen.foreignKeys)) {
        const spec = gen.models[name];
        assert.ok(spec, `${gen.generation} foreignKeys.${name}`);
        assert.equal(spec.extra, "forbid", `${name}: an ignore model drops extras anyway`);
        for (const key of keys) assert.equal(spec.fields.some((f) => f.name === key), false, `${name}.${key}`);
      }
    }
  });
});

describe("0.50.1 where the vectors do not reach", () => {
  it("SqliteGrant fills its nested defaults in declaration order", () => {
    const r = normalizeApiScope({ sqlite: { databases: [{ name: "db", tables: [{ database: "db", table: "t" }] }] } }, V050);
    assert.ok(r.ok);
    assertSameJson(r.value, {
      sqlite: {
        databases: [{
          name: "db", create_table: true, drop: false, inspect: true, list_tables: true, execute: true,
          tables: [{ database: "db", table: "t", write: false, read: true, alter: false }],
        }],
        create_database: true,
        list_databases: true,
      },
    });
    assert.deepEqual(normalizeApiScope({ sqlite: { databases: [{ name: "db" }] } }, V039), { ok: true, value: {} });
  });

  it("SecretsGrant is empty and forbids extras at 0.50.1; 0.39.9 knows request_oauth_token", () => {
    const scope = { secrets: { request_oauth_token: [{ endpoint: "https://e", client_id: "c" }] } };
    assert.deepEqual(normalizeApiScope(scope, V050), {
      ok: false, issues: [{ path: "secrets.request_oauth_token", message: "Extra inputs are not permitted" }],
    });
    assert.deepEqual(normalizeApiScope(scope, V039), { ok: true, value: scope });
    assert.deepEqual(normalizeApiScope({ secrets: {} }, V050), { ok: true, value: { secrets: {} } });
  });

  it("presets: sqlite in, secrets out", () => {
    for (const preset of ["userDefault", "agentDefault", "full"] as const) {
      const scope = apiScopePreset(preset, V050);
      assert.deepEqual(scope["sqlite"], { create_database: true, list_databases: true }, preset);
      assert.equal("secrets" in scope, false, preset);
      assert.equal("sqlite" in apiScopePreset(preset, V039), false, preset);
    }
  });

  it("heartbeat prompts take audio content and a file name at 0.50.1 only", () => {
    const prompt = [{ type: "file", url: "u", name: "n" }, { type: "audio", url: "a" }];
    assert.deepEqual(validateServiceSpec(withAgents(heartbeat(prompt)), V050), []);
    const agents = dumpServiceSpec(withAgents(heartbeat(prompt)), { excludeNone: true }, V050)["agents"] as JsonObject[];
    assertSameJson((agents[0]?.["heartbeat"] as JsonObject)["prompt"], prompt);

    assert.deepEqual(validateServiceSpec(withAgents(heartbeat(prompt)), V039), [{
      path: "agents[0].heartbeat.prompt[1]",
      message: "Input tag 'audio' found using 'type' does not match any of the expected tags: 'text', 'file'",
    }]);
    const old = dumpServiceSpec(withAgents(heartbeat(prompt.slice(0, 1))), { excludeNone: true }, V039)["agents"] as JsonObject[];
    assertSameJson((old[0]?.["heartbeat"] as JsonObject)["prompt"], [{ type: "file", url: "u" }]); // ignore model: name dropped
  });

  it("run_as is checked only once the container's own fields are valid", () => {
    const spec = {
      version: "v1", kind: "Service", metadata: { name: "x" },
      container: { image: 1, environment: [{ name: "S", secret: { id: "s" } }] },
    };
    assert.deepEqual(validateServiceSpec(spec, V050), [{ path: "container.image", message: "Input should be a valid string" }]);
    const nullSecret = { ...spec, container: { image: "i", environment: [{ name: "S", secret: null }] } };
    assert.deepEqual(validateServiceSpec(nullSecret, V050), []);
  });

  it("a run_as email that is not a string fails as a string, not through the validator", () => {
    const spec = { version: "v1", kind: "Service", metadata: { name: "x" }, container: { image: "i", run_as: { email: 5, scopes: [" a ", 3] } } };
    assert.deepEqual(validateServiceSpec(spec, V050), [
      { path: "container.run_as.email", message: "Input should be a valid string" },
      { path: "container.run_as.scopes[1]", message: "Input should be a valid string" },
    ]);
  });
});
