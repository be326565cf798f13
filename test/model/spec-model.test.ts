// Tests for the declarative pydantic model of ServiceSpec (src/model/spec-model*.ts). Expected values
// are written by hand from meshagent-api@c27d496 and platform-api.md §2.1/§2.2. Pure: no I/O.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Json, JsonObject, ServiceSpec } from "../../src/model/service-spec.js";
import { apiScopePreset, dumpServiceSpec, normalizeApiScope, validateServiceSpec, type SpecIssue } from "../../src/model/spec-model.js";
import { AGENT_DEFAULT_DOC, POST_BODY_2_2 } from "../fixtures/platform-api.js";

/** Byte-for-byte: same keys in the same order (deepEqual ignores key order). */
function assertSameJson(actual: unknown, expected: unknown): void {
  assert.deepEqual(actual, expected);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const minimal = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  version: "v1", kind: "Service", metadata: { name: "x" }, container: { image: "i" }, ...extra,
});

function hasIssue(issues: SpecIssue[], path: string, message: string): boolean {
  return issues.some((i) => i.path === path && i.message === message);
}


describe("apiScopePreset", () => {
  it("agentDefault equals the serialised form in platform-api.md §2.1", () => {
    assertSameJson(apiScopePreset("agentDefault"), JSON.parse(AGENT_DEFAULT_DOC));
  });

  it("userDefault lacks llm/admin/tunnels; full has admin {config:true} and tunnels {}", () => {
    const user = apiScopePreset("userDefault");
    for (const k of ["llm", "admin", "tunnels"]) assert.equal(k in user, false, k);
    const { llm: _llm, ...agentWithoutLlm } = apiScopePreset("agentDefault");
    assertSameJson(user, agentWithoutLlm);

    const full = apiScopePreset("full");
    assert.deepEqual(full["admin"], { config: true });
    assert.deepEqual(full["tunnels"], {});
    assert.deepEqual(Object.keys(full), [
      "livekit", "queues", "messaging", "dataset", "memory", "sync", "storage", "containers", "developer", "agents", "llm",
      "admin", "secrets", "tunnels", "services",
    ]);
  });

  it("returns a fresh object each time", () => {
    const a = apiScopePreset("full");
    (a["queues"] as JsonObject)["list"] = false;
    assert.deepEqual(apiScopePreset("full")["queues"], { list: true });
  });
});

describe("dumpServiceSpec", () => {
  it("reproduces the POST body of platform-api.md §2.2 (excludeNone + excludeId)", () => {
    const token = { identity: "repo-web", api: apiScopePreset("agentDefault"), role: "agent" as const };
    // What cli@0.39.9 holds in memory before client.create_service(…): pydantic objects with Nones.
    const spec: ServiceSpec = {
      version: "v1",
      kind: "Service",
      id: null,
      metadata: {
        name: "repo-web",
        description: null,
        annotations: { "meshagent.request.validation.method": "cookie", "meshagent.service.id": "repo-web" },
      },
      container: {
        image: "repo/web:1",
        command: null,
        private: true,
        environment: [
          { name: "FOO", value: "bar" },
          { name: "APP_SECRET", secret: { identity: "repo-web", id: "secret-1" } },
          { name: "MESHAGENT_TOKEN", token },
          { name: "OPENAI_API_KEY", token },
          { name: "ANTHROPIC_API_KEY", token },
        ],
        storage: {
          room: [{ path: "/srv/assets", subpath: "/assets", read_only: true }],
          project: [{ path: "/shared", subpath: "shared" }],
          images: [{ image: "busybox", path: "/opt/base", read_only: false }],
        },
      },
    };
    const expected = POST_BODY_2_2;
    assert.deepEqual(validateServiceSpec(spec), []);
    const body = dumpServiceSpec(spec, { excludeNone: true, excludeId: true });
    assert.deepEqual(body, expected);
    // The doc lists "private" right after "image"; model_dump emits declaration order, where it is last.
    assert.deepEqual(Object.keys(body), ["version", "kind", "metadata", "ports", "container"]);
    assert.deepEqual(Object.keys(body["container"] as JsonObject), ["image", "environment", "storage", "private"]);
  });

  it("full dump (PUT form) of a minimal spec has every field, nulls and defaults in declaration order", () => {
    const expected = {
      version: "v1",
      kind: "Service",
      id: null,
      metadata: { name: "x", description: null, repo: null, icon: null, annotations: null },
      agents: null,
      ports: [],
      files: null,
      container: {
        image: "i",
        command: null,
        working_dir: null,
        environment: null,
        secrets: null,
        pull_secret: null,
        storage: null,
        on_demand: null,
        writable_root_fs: null,
        private: true,
      },
      external: null,
    };
    assertSameJson(dumpServiceSpec(minimal() as ServiceSpec, { excludeNone: false }), expected);
  });

  it("keeps the id unless excludeId, and drops only top-level id", () => {
    const spec = minimal({ id: "abc" }) as ServiceSpec;
    assert.equal(dumpServiceSpec(spec, { excludeNone: true })["id"], "abc");
    assert.equal("id" in dumpServiceSpec(spec, { excludeNone: true, excludeId: true }), false);
  });

  it("fills port defaults and orders port keys", () => {
    const out = dumpServiceSpec(minimal({ ports: [{ num: 8000 }, {}] }) as ServiceSpec, { excludeNone: false });
    assertSameJson(out["ports"], [
      { num: 8000, type: "http", endpoints: [], liveness: null, published: null, public: null, annotations: null },
      { num: "*", type: "http", endpoints: [], liveness: null, published: null, public: null, annotations: null },
    ]);
  });

  it("mount read_only defaults per kind: room false, project true, images true, empty_dirs false", () => {
    const spec = minimal({
      container: {
        image: "i",
        storage: {
          room: [{ path: "/r" }], project: [{ path: "/p" }], images: [{ image: "b", path: "/i" }], empty_dirs: [{ path: "/e" }],
          files: [{ path: "/f", text: "" }], configs: [{}],
        },
      },
    }) as ServiceSpec;
    const storage = (dumpServiceSpec(spec, { excludeNone: true })["container"] as JsonObject)["storage"];
    assertSameJson(storage, {
      room: [{ path: "/r", read_only: false }],
      project: [{ path: "/p", read_only: true }],
      images: [{ image: "b", path: "/i", read_only: true }],
      files: [{ path: "/f", text: "", read_only: true }],
      empty_dirs: [{ path: "/e", read_only: false }],
      configs: [{ path: "/var/run/meshagent" }],
    });
  });

  it("maps the ApiScope alias 'database' to 'dataset' and drops unknown ApiScope keys", () => {
    const spec = minimal({
      container: { image: "i", environment: [{ name: "T", token: { identity: "a", api: { database: { list_tables: false }, future_grant: { x: 1 } } } }] },
    }) as ServiceSpec;
    assert.deepEqual(validateServiceSpec(spec), []);
    const env = (dumpServiceSpec(spec, { excludeNone: true })["container"] as JsonObject)["environment"] as Json[];
    assertSameJson(env[0], { name: "T", token: { identity: "a", api: { dataset: { list_tables: false } } } });
  });

  it("keeps unknown keys of forbid models, appended after the known ones", () => {
    const spec = minimal({ enabled: true, container: { image: "i", run_as: { email: "e" } } }) as ServiceSpec;
    const out = dumpServiceSpec(spec, { excludeNone: true });
    assert.deepEqual(Object.keys(out), ["version", "kind", "metadata", "ports", "container", "enabled"]);
    assertSameJson(out["container"], { image: "i", private: true, run_as: { email: "e" } });
  });

  it("coerces like pydantic's lax mode", () => {
    const out = dumpServiceSpec(minimal({ ports: [{ num: "8000", published: "yes" }] }) as ServiceSpec, { excludeNone: true });
    assertSameJson(out["ports"], [{ num: 8000, type: "http", endpoints: [], published: true }]);
  });

  it("never mutates its input (deep-frozen)", () => {
    const spec = deepFreeze({
      ...minimal({ ports: [{ num: 80, endpoints: [{ path: "/", meshagent: { identity: "a", api: { datasets: {} } } }] }], future: { a: [1] } }),
      container: { image: "i", storage: { room: [{ path: "/r" }] }, environment: [{ name: "X", token: { identity: "a" } }] },
    }) as ServiceSpec;
    const snapshot = JSON.stringify(spec);
    const a = dumpServiceSpec(spec, { excludeNone: false });
    const b = dumpServiceSpec(spec, { excludeNone: true, excludeId: true });
    validateServiceSpec(spec);
    assert.equal(JSON.stringify(spec), snapshot);
    // outputs share no objects with the input
    (a["future"] as JsonObject)["a"] = [];
    assert.deepEqual((spec as Record<string, unknown>)["future"], { a: [1] });
    assert.notEqual(b["metadata"], spec.metadata);
  });
});

describe("validateServiceSpec", () => {
  it("accepts the minimal spec", () => {
    assert.deepEqual(validateServiceSpec(minimal()), []);
  });

  const cases: [string, Record<string, unknown>, string, string][] = [
    ["unknown top-level key", minimal({ enabled: true }), "enabled", "Extra inputs are not permitted"],
    ["unknown container key", minimal({ container: { image: "i", run_as: {} } }), "container.run_as", "Extra inputs are not permitted"],
    ["missing metadata.name", minimal({ metadata: {} }), "metadata.name", "Field required"],
    ["version v2", minimal({ version: "v2" }), "version", "Input should be 'v1'"],
    ["port 8078", minimal({ ports: [{ num: 80 }, { num: 8078 }] }), "ports[1].num",
      "service port 8078 is reserved for MeshAgent room infrastructure; reserved ports: 8078"],
    ["port 0", minimal({ ports: [{ num: 0 }] }), "ports[0].num", "Input should be greater than 0"],
    ["port type udp", minimal({ ports: [{ num: 80, type: "udp" }] }), "ports[0].type", "Input should be 'http' or 'tcp'"],
    ["env var extra key", minimal({ container: { image: "i", environment: [{ name: "A", value: "b", from: "x" }] } }),
      "container.environment[0].from", "Extra inputs are not permitted"],
    ["secret without id", minimal({ container: { image: "i", environment: [{ name: "A", secret: { identity: "x" } }] } }),
      "container.environment[0].secret.id", "Field required"],
    ["token role", minimal({ container: { image: "i", environment: [{ name: "A", token: { identity: "x", role: "bot" } }] } }),
      "container.environment[0].token.role", "Input should be 'user', 'agent' or 'tool'"],
    ["annotation value", minimal({ metadata: { name: "x", annotations: { "meshagent.service.id": 1 } } }),
      'metadata.annotations["meshagent.service.id"]', "Input should be a valid string"],
    ["blank email", minimal({ agents: [{ name: "a", email: { address: " " } }] }), "agents[0].email", "email.address must not be empty"],
    ["heartbeat without prompt", minimal({ agents: [{ name: "a", heartbeat: { queue: "q", minutes: 5, prompt: [] } }] }),
      "agents[0].heartbeat", "heartbeat requires prompt"],
    ["blank heartbeat queue", minimal({ agents: [{ name: "a", heartbeat: { queue: "", minutes: 5, prompt: [{ type: "text", text: "t" }] } }] }),
      "agents[0].heartbeat", "heartbeat.queue must not be empty"],
    ["not an object", { x: 1 }, "version", "Field required"],
  ];
  for (const [label, input, path, message] of cases) {
    it(`rejects: ${label}`, () => {
      const issues = validateServiceSpec(input);
      assert.ok(hasIssue(issues, path, message), JSON.stringify(issues));
    });
  }

  it("reports the root as path ''", () => {
    assert.deepEqual(validateServiceSpec(null), [{ path: "", message: "Input should be a valid dictionary or instance of ServiceSpec" }]);
  });

  it("accepts (ignores) unknown keys inside token.api and other ignore-models", () => {
    const spec = minimal({
      container: {
        image: "i",
        environment: [{ name: "T", token: { identity: "a", api: { llm: { models: ["openai/*"], future: 1 }, future_grant: {} }, extra: 1 } }],
      },
    });
    assert.deepEqual(validateServiceSpec(spec), []);
  });

  it("runs the heartbeat validator only when its fields are valid", () => {
    const issues = validateServiceSpec(minimal({ agents: [{ name: "a", heartbeat: { queue: "", minutes: 0, prompt: [] } }] }));
    assert.deepEqual(issues, [{ path: "agents[0].heartbeat.minutes", message: "Input should be greater than 0" }]);
  });
});

describe("normalizeApiScope", () => {
  it("dumps with exclude_none, maps aliases, drops unknown keys", () => {
    const r = normalizeApiScope({ datasets: { tables: [{ name: "t" }] }, memory: { memories: [{ name: "m" }] }, nope: true });
    assert.ok(r.ok);
    assertSameJson(r.value, {
      dataset: { tables: [{ name: "t", write: false, read: true, alter: false }], list_tables: true },
      memory: {
        list: true,
        memories: [{ name: "m", permissions: { create: true, drop: true, inspect: true, query: true, upsert: true, ingest: true, recall: true, optimize: true } }],
      },
    });
  });

  it("takes the first alias present ('dataset' before 'database')", () => {
    const r = normalizeApiScope({ dataset: null, database: { list_tables: false } });
    assert.ok(r.ok);
    assert.deepEqual(r.value, {});
  });

  it("rejects invalid grants", () => {
    const r = normalizeApiScope({ queues: { list: "maybe" } });
    assert.deepEqual(r, { ok: false, issues: [{ path: "queues.list", message: "Input should be a valid boolean, unable to interpret input" }] });
    assert.equal(normalizeApiScope([]).ok, false);
  });
});
