// The interpreter (src/model/spec-model.ts) with each generation's table against what MeshAgent's own
// SDK sent and pydantic said, per generation: test/fixtures/spec-vectors-0.39.9.json and
// spec-vectors-0.50.1.json are byte-identical copies of /work/shared/meshagent/spec-vectors-*.json
// (see platform-0.50.md, Appendix), vendored so CI works on a fresh checkout. The vectors' `routes`
// (RouteSpec bodies) are not ServiceSpec and are not tested here. Pure: reads fixtures only.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Json, JsonObject, ServiceSpec } from "../../src/model/service-spec.js";
import {
  apiScopePreset, dumpServiceSpec, normalizeApiScope, specModelsFor, validateServiceSpec,
  type ApiScopePreset, type SpecIssue, type SpecModels,
} from "../../src/model/spec-model.js";
import type { FieldType } from "../../src/model/spec-model-types.js";

interface PydanticError { type: string; loc: (string | number)[]; msg: string }
interface ValidationFailure { title: string; count: number; errors: PydanticError[]; text: string }
interface VectorCase { name: string; note?: string; input: JsonObject; post?: JsonObject; put?: JsonObject; error?: ValidationFailure }
interface PresetVector { model_dump_json_mode: JsonObject; model_dump_exclude_none: JsonObject; grants_present: string[] }
type Verdict = "accepted" | ValidationFailure;
interface VectorFile {
  generation: "0.39.9" | "0.50.1";
  putId: string;
  apiScopePresets: Record<string, PresetVector>;
  cases: VectorCase[];
  foreignBodies: { otherGeneration: string; results: { name: string; post: Verdict; put: Verdict }[] };
}

const load = (generation: string): VectorFile =>
  JSON.parse(readFileSync(new URL(`../fixtures/spec-vectors-${generation}.json`, import.meta.url), "utf8")) as VectorFile;
const FILES = { "0.39.9": load("0.39.9"), "0.50.1": load("0.50.1") } as const;

/**
 * Cases where we are convinced the vector is wrong, each pinned to the exact value we produce so it
 * cannot pass silently if either side changes. None so far.
 */
const KNOWN_VECTOR_DISPUTES: readonly { generation: string; name: string; part: "post" | "put" | "error"; ours: unknown }[] = [];

/** Byte-for-byte: same keys in the same order (deepEqual ignores key order). */
function assertSameJson(actual: unknown, expected: unknown, message?: string): void {
  assert.deepEqual(actual, expected, message);
  assert.equal(JSON.stringify(actual), JSON.stringify(expected), message);
}

function disputed(generation: string, name: string, part: "post" | "put" | "error", ours: unknown): boolean {
  const dispute = KNOWN_VECTOR_DISPUTES.find((d) => d.generation === generation && d.name === name && d.part === part);
  if (dispute === undefined) return false;
  assertSameJson(ours, dispute.ours, `dispute ${generation} ${name} ${part}: our value changed`);
  return true;
}

// ---- pydantic error → the interpreter's issue convention ---------------------------------------------

/** pydantic's label for a union member, as it appears in a loc. */
function unionLabel(member: FieldType): string {
  switch (member.t) {
    case "literal": return `literal[${member.choices.map((c) => `'${c}'`).join(",")}]`;
    case "int": return member.gt === undefined ? "int" : "constrained-int";
    case "model": return member.name;
    default: return member.t;
  }
}

const joinKey = (path: string, key: string): string =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? (path === "" ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;

/**
 * Walks a pydantic loc through the table: model fields and dict keys join as `.key` / `["key"]`,
 * list indexes as `[i]`; a union member label or a discriminator tag names no part of the value and
 * is skipped (it must still resolve against the table, or the test fails).
 */
function locToPath(loc: readonly (string | number)[], models: SpecModels): string {
  let type: FieldType | undefined = { t: "model", name: "ServiceSpec" };
  let path = "";
  for (const segment of loc) {
    while (type?.t === "optional") type = type.of;
    if (type?.t === "union") {
      const member: FieldType | undefined = type.of.find((m) => unionLabel(m) === segment);
      assert.ok(member, `loc ${JSON.stringify(loc)}: ${String(segment)} is no member of the union`);
      type = member;
    } else if (type?.t === "tagged") {
      const name: string | undefined = typeof segment === "string" ? type.choices[segment] : undefined;
      assert.ok(name, `loc ${JSON.stringify(loc)}: ${String(segment)} is no tag of the union`);
      type = { t: "model", name };
    } else if (typeof segment === "number") {
      path = `${path}[${segment}]`;
      type = type?.t === "list" ? type.of : undefined;
    } else {
      path = joinKey(path, segment);
      if (type?.t === "dict") type = type.of;
      else if (type?.t === "model") {
        const field: { type: FieldType } | undefined = models.models[type.name]?.fields.find((f) => (f.aliases ?? [f.name]).includes(segment));
        type = field?.type; // undefined: an extra input
      } else type = undefined;
    }
  }
  return path;
}

function expectedIssues(failure: ValidationFailure, models: SpecModels): SpecIssue[] {
  assert.equal(failure.errors.length, failure.count);
  return failure.errors.map((e) => {
    if (e.type === "value_error") assert.ok(e.msg.startsWith("Value error, "), e.msg);
    return { path: locToPath(e.loc, models), message: e.type === "value_error" ? e.msg.slice("Value error, ".length) : e.msg };
  });
}

function assertVerdict(body: Json | undefined, verdict: Verdict, models: SpecModels, label: string): void {
  assert.ok(body !== undefined, `${label}: no body`);
  const issues = validateServiceSpec(body, models);
  if (verdict === "accepted") assert.deepEqual(issues, [], label);
  else assert.deepEqual(issues, expectedIssues(verdict, models), label);
}

// ---- the vectors ------------------------------------------------------------------------------------

const PRESETS: readonly [ApiScopePreset, string][] = [["userDefault", "user_default"], ["agentDefault", "agent_default"], ["full", "full"]];

/** A spec whose one env var carries `api`: its full dump shows the ApiScope's model_dump(mode="json"). */
const withTokenApi = (api: JsonObject): ServiceSpec => ({
  version: "v1", kind: "Service", metadata: { name: "x" },
  container: { image: "i", environment: [{ name: "MESHAGENT_TOKEN", token: { identity: "x", api } }] },
});
const fullDumpOfApi = (api: JsonObject, models: SpecModels): Json => {
  const container = dumpServiceSpec(withTokenApi(api), { excludeNone: false }, models)["container"] as JsonObject;
  return ((container["environment"] as JsonObject[])[0]?.["token"] as JsonObject)["api"] ?? null;
};

for (const file of Object.values(FILES)) {
  const models = specModelsFor(file.generation);
  const other = FILES[file.foreignBodies.otherGeneration as keyof typeof FILES];

  describe(`spec vectors ${file.generation}`, () => {
    it("come from the generation's table", () => {
      assert.equal(models.generation, file.generation);
      assert.ok(file.cases.length > 0 && other !== undefined && other !== file);
    });

    for (const c of file.cases) {
      if (c.error !== undefined) {
        const failure = c.error;
        it(`${c.name}: rejected as pydantic rejects it`, () => {
          const issues = validateServiceSpec(c.input, models);
          if (disputed(file.generation, c.name, "error", issues)) return;
          assert.deepEqual(issues, expectedIssues(failure, models));
        });
        continue;
      }
      it(`${c.name}: valid, POST and PUT bodies byte for byte`, () => {
        assert.deepEqual(validateServiceSpec(c.input, models), []);
        const post = dumpServiceSpec(c.input as ServiceSpec, { excludeNone: true, excludeId: true }, models);
        if (!disputed(file.generation, c.name, "post", post)) assertSameJson(post, c.post);
        const put = dumpServiceSpec({ ...c.input, id: file.putId } as ServiceSpec, { excludeNone: false }, models);
        if (!disputed(file.generation, c.name, "put", put)) assertSameJson(put, c.put);
      });
    }

    for (const [preset, pyName] of PRESETS) {
      it(`ApiScope.${pyName}()`, () => {
        const vector = file.apiScopePresets[pyName];
        assert.ok(vector);
        assertSameJson(apiScopePreset(preset, models), vector.model_dump_exclude_none);
        assertSameJson(fullDumpOfApi(apiScopePreset(preset, models), models), vector.model_dump_json_mode);
        assert.deepEqual([...models.apiScopePresets[preset]].sort(), vector.grants_present);
      });
    }

    // agent_default(tunnels=True) is a parameter of agent_default, not a preset of its own.
    it("ApiScope.agent_default(tunnels=True) is agentDefault plus TunnelsGrant()", () => {
      const vector = file.apiScopePresets["agent_default_tunnels"];
      assert.ok(vector);
      const scope = normalizeApiScope({ ...apiScopePreset("agentDefault", models), tunnels: {} }, models);
      assert.ok(scope.ok);
      assertSameJson(scope.value, vector.model_dump_exclude_none);
      assertSameJson(fullDumpOfApi(scope.value, models), vector.model_dump_json_mode);
    });

    it("--meshagent-token writes the generation's token env names", () => {
      const c = file.cases.find((x) => x.name === "token-agent_default");
      const environment = (c?.input["container"] as JsonObject | undefined)?.["environment"] as JsonObject[] | undefined;
      assert.deepEqual(environment?.map((env) => env["name"]), models.tokenEnvNames);
    });

    const bodies = new Map(other.cases.map((x) => [x.name, x]));
    for (const result of file.foreignBodies.results) {
      it(`${other.generation} bodies of ${result.name}: same verdict as pydantic ${file.generation}`, () => {
        const body = bodies.get(result.name);
        assert.ok(body, result.name);
        assertVerdict(body.post, result.post, models, "post");
        assertVerdict(body.put, result.put, models, "put");
      });
    }
  });
}

describe("the other generation's keys on dump", () => {
  // "parent.key", parent being the nearest enclosing object's key (lists are transparent, "" = root)
  const KEYS: Record<string, string[]> = {
    "0.50.1": ["container.secrets", "storage.project", "secret.identity", "secrets.request_oauth_token"],
    "0.39.9": [".enabled", "container.template", "container.run_as", "storage.volumes", "ports.host_port", "mcp.use_proxy_secret"],
  };
  const keysIn = (value: Json, into = new Set<string>(), parent = ""): Set<string> => {
    if (Array.isArray(value)) value.forEach((v) => keysIn(v, into, parent));
    else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        into.add(`${parent}.${k}`);
        keysIn(v, into, k);
      }
    }
    return into;
  };

  for (const [generation, keys] of Object.entries(KEYS) as ["0.39.9" | "0.50.1", string[]][]) {
    const models = specModelsFor(generation);
    const foreign = FILES[generation === "0.39.9" ? "0.50.1" : "0.39.9"];
    it(`${generation} never emits ${keys.join(", ")} for a ${foreign.generation}-shaped body`, () => {
      const seen = new Set<string>();
      for (const c of foreign.cases) {
        for (const body of [c.input, c.post, c.put]) {
          if (body === undefined) continue;
          keysIn(body, seen);
          for (const excludeNone of [true, false]) {
            const out = keysIn(dumpServiceSpec(body as ServiceSpec, { excludeNone }, models));
            for (const key of keys) assert.equal(out.has(key), false, `${c.name}: ${key}`);
          }
        }
      }
      for (const key of keys) assert.ok(seen.has(key), `no ${foreign.generation} vector holds ${key}`);
    });

    it(`${generation} still reports them when validating`, () => {
      const put = foreign.cases.find((c) => c.name === "minimal")?.put;
      assert.ok(put);
      const issues = validateServiceSpec(put, models);
      assert.ok(issues.length > 0 && issues.every((i) => i.message === "Extra inputs are not permitted"), JSON.stringify(issues));
    });
  }

  it("without a stated generation, every unknown key is kept (0.39.9 table, as before generations)", () => {
    const put = FILES["0.50.1"].cases.find((c) => c.name === "enabled-false")?.put;
    assert.ok(put);
    const out = dumpServiceSpec(put as ServiceSpec, { excludeNone: true });
    assert.equal(out["enabled"], false);
    assert.equal((out["container"] as JsonObject)["template"], "agent");
    assert.equal("enabled" in dumpServiceSpec(put as ServiceSpec, { excludeNone: true }, specModelsFor("0.39.9")), false);
  });
});
