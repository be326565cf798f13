import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { sortByPosition } from "../../src/config/load.js";
import { OWNER_PATTERN } from "../../src/config/rules.js";
import { configSchema, SCHEMA_FILE, validateConfigSchema } from "../../src/config/schema.js";
import { parseYamlSource } from "../../src/config/yaml-source.js";
import { seen } from "./helpers.js";

type SchemaNode = Record<string, unknown>;

/** Every subschema with the JSON pointer that reaches it. */
function* subschemas(node: unknown, pointer = "#"): Generator<[string, SchemaNode]> {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return;
  const schema = node as SchemaNode;
  yield [pointer, schema];
  for (const key of ["properties", "$defs"]) {
    for (const [name, child] of Object.entries((schema[key] ?? {}) as SchemaNode)) yield* subschemas(child, `${pointer}/${key}/${name}`);
  }
  for (const key of ["items", "additionalProperties", "propertyNames", "not"]) {
    if (typeof schema[key] === "object") yield* subschemas(schema[key], `${pointer}/${key}`);
  }
  for (const key of ["oneOf", "anyOf"]) {
    for (const [i, child] of ((schema[key] ?? []) as unknown[]).entries()) yield* subschemas(child, `${pointer}/${key}/${i}`);
  }
}

describe("schemas/meshdeploy.schema.json", () => {
  const schema = configSchema();

  test("is a 2020-12 schema found at the package root", () => {
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.equal(fileURLToPath(SCHEMA_FILE), fileURLToPath(new URL("../../schemas/meshdeploy.schema.json", import.meta.url)));
    // Compiled code sits at the same depth (dist/config/schema.js), so the same relative URL works.
    assert.equal(new URL("../../schemas/meshdeploy.schema.json", "file:///pkg/dist/config/schema.js").pathname, "/pkg/schemas/meshdeploy.schema.json");
  });

  test("is loaded once", () => {
    assert.equal(configSchema(), schema);
  });

  test("describes every property", () => {
    const missing = [...subschemas(schema)]
      .filter(([pointer]) => /\/(properties|\$defs)\/[^/]+$/.test(pointer))
      .filter(([, node]) => typeof node.description !== "string" || node.description === "")
      .map(([pointer]) => pointer);
    assert.deepEqual(missing, []);
  });

  test("closes every object except the maps (environments, an overlay's services, env, secrets) and the custom ApiScope", () => {
    const open = [...subschemas(schema)]
      .filter(([, node]) => node.type === "object" && node.additionalProperties !== false)
      .map(([pointer]) => pointer);
    assert.deepEqual(open, [
      "#/properties/environments",
      "#/$defs/environment/properties/services",
      "#/$defs/service/properties/env",
      "#/$defs/service/properties/secrets",
      "#/$defs/service/properties/token/oneOf/1",
    ]);
  });

  test("build: is a directory or {context, dockerfile}", () => {
    const service = (schema.$defs as SchemaNode)["service"] as { properties: Record<string, { oneOf?: SchemaNode[] }> };
    assert.equal(service.properties["build"]?.oneOf?.length, 2);
  });

  test("owner pattern is the one the default-owner rule uses", () => {
    const owner = (schema.properties as Record<string, SchemaNode>)["owner"];
    assert.equal(owner?.pattern, OWNER_PATTERN.source);
  });
});

describe("schema diagnostics", () => {
  function check(text: string) {
    const parsed = parseYamlSource(text, "f.yaml");
    assert.ok(parsed.ok);
    return seen(sortByPosition(validateConfigSchema(parsed.source)));
  }

  test("a valid document has none", () => {
    assert.deepEqual(check("version: 1\nservices: [{tag: web:1, token: {agents: {}}, mounts: {room: [{path: /a}]}}]\n"), []);
  });

  test("one message per alternative value: the type that matches decides", () => {
    assert.deepEqual(check("version: 1\nservices:\n  - tag: web:1\n    mounts:\n      room: [5, {path: 3, extra: 1}]\n"), [
      {
        at: "5:14",
        rule: "schema",
        message: "Expected a mount string '<source>:<mount>[:ro|rw]' or a mount mapping {source, path, readOnly} for `services[0].mounts.room[0]`, got number 5",
      },
      { at: "5:24", rule: "schema", message: "Expected a string for `services[0].mounts.room[1].path`, got number 3" },
      { at: "5:27", rule: "schema", message: "unknown key `extra`" },
    ]);
  });

  test("missing required keys, at the mapping", () => {
    assert.deepEqual(check("project: p\n"), [
      { at: "1:1", rule: "schema", message: "missing required key `version`" },
      { at: "1:1", rule: "schema", message: "missing required key `services`" },
    ]);
  });

  test("bad map keys, at the key", () => {
    assert.deepEqual(check("version: 1\nservices:\n  - tag: web:1\n    secrets: {'A=B': s}\n"), [
      { at: "4:15", rule: "schema", message: "Expected a variable name without whitespace, '=', control or invisible (zero-width, bidi) characters as a key in `services[0].secrets`, got \"A=B\"" },
    ]);
  });

  test("patterns and ranges use the schema's words", () => {
    assert.deepEqual(check("version: 1\nowner: -x\nservices:\n  - tag: web:1\n    domain: Web.Example.com\n    ports: [{num: 0, liveness: health}]\n"), [
      { at: "2:8", rule: "schema", message: "Expected 1–63 letters, digits, '.', '_' or '-', starting with a letter or digit for `owner`, got string \"-x\"" },
      { at: "5:13", rule: "schema", message: "Expected a lowercase hostname such as web.example.meshagent.app for `services[0].domain`, got string \"Web.Example.com\"" },
      { at: "6:19", rule: "schema", message: "Expected an integer from 1 to 65535 for `services[0].ports[0].num`, got number 0" },
      { at: "6:32", rule: "schema", message: "Expected a path starting with '/' for `services[0].ports[0].liveness`, got string \"health\"" },
    ]);
  });
});

describe("schema hints", () => {
  function hintsOf(text: string): string[] {
    const parsed = parseYamlSource(text, "f.yaml");
    assert.ok(parsed.ok);
    return sortByPosition(validateConfigSchema(parsed.source)).map((d) => `${d.location.line}:${d.location.column} ${d.hint ?? "(none)"}`);
  }

  test("a bad variable name: the NAME: value form, or the name without whitespace", () => {
    assert.deepEqual(hintsOf('version: 1\nservices:\n  - tag: web:1\n    env: {"A=B": x, "MY VAR": y, "=z": 1}\n    secrets: {"DB=": s}\n'), [
      "4:11 the key is only the name and the value goes after the colon: for A=B write `A: B`",
      "4:21 remove the whitespace from the name, e.g. `MY_VAR`",
      "4:34 write the name before the colon, e.g. `NAME: value`",
      '5:15 the key is only the name and the value goes after the colon: for DB= write `DB: ""`',
    ]);
  });

  test("a value whose own schema has no description gets the nearest described one's", () => {
    const build = (configSchema().$defs as SchemaNode)["service"] as { properties: { build: { description: string } } };
    assert.deepEqual(hintsOf('version: 1\nservices:\n  - tag: web:1\n    build: ""\n'), [`4:12 ${build.properties.build.description}`]);
  });
});
