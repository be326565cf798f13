import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { loadConfig, parseConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";
import { directoryOwner } from "../../src/git/owner-default.js";
import { fixture, seen } from "./helpers.js";

const NO_MOUNTS = { room: null, project: null, images: null, emptyDirs: null, volumes: null };

describe("defaults", () => {
  test("owner is the default given (outside git: the directory's name); prune, public, identity, token, ports, mounts, domain unset", async () => {
    // The default from git depends on the checkout this runs in (test/git/owner-default.test.ts covers it).
    const desired = await loadConfig(fixture("shop/.meshdeploy.yaml"), { defaultOwner: directoryOwner(fixture("shop/.meshdeploy.yaml")) });
    const file = fixture("shop/.meshdeploy.yaml");
    const at = (line: number, column: number) => ({ file, line, column });
    assert.deepEqual(desired, {
      file,
      version: 1,
      project: null,
      platform: null,
      owner: "shop",
      ownerSource: { type: "directory", directory: "shop" },
      previousOwners: [],
      prune: false,
      services: [
        {
          index: 0,
          tag: "web:1",
          name: null,
          build: null,
          room: "dev",
          env: [],
          secrets: [],
          identity: null,
          token: null,
          manageEnvironment: false,
          mounts: NO_MOUNTS,
          ports: null,
          domain: null,
          public: false,
          publicDeclared: false,
          protect: false,
          runAs: null,
          template: null,
          enabled: null,
          validation: null,
          locations: { service: at(5, 5), tag: at(5, 10), room: at(3, 7), build: null, fields: {} },
        },
      ],
    });
  });

  test("an empty service list is valid; a written owner and prune win", async () => {
    const desired = await loadConfig(fixture("valid/empty-services.yaml"));
    assert.deepEqual([desired.owner, desired.prune, desired.services], ["shop", true, []]);
  });

  test("ports fill type http and leave liveness/published null when not written", async () => {
    const [service] = (await loadConfig(fixture("valid/custom-token.yaml"))).services;
    assert.deepEqual(service?.ports, [
      { num: 8080, type: "tcp", liveness: null, published: null },
      { num: 9090, type: "http", liveness: null, published: false },
    ]);
  });
});

test("env numbers and booleans become their YAML text", async () => {
  const [service] = (await loadConfig(fixture("valid/env-types.yaml"))).services;
  assert.deepEqual(service?.env, [
    { name: "PORT", value: "8000" },
    { name: "DEBUG", value: "true" },
    { name: "VERBOSE", value: "False" },
    { name: "HEX", value: "0x1F" },
    { name: "RATIO", value: "1.50" },
    { name: "QUOTED", value: "8000" },
    { name: "EMPTY", value: "" },
    { name: "TEXT", value: "hello world" },
  ]);
});

test("mounts: string and object forms, per kind; a written empty list is kept", async () => {
  const [web, api] = (await loadConfig(fixture("valid/mounts.yaml"))).services;
  assert.deepEqual(web?.mounts, {
    room: [
      { path: "/srv/assets", subpath: "/assets", readOnly: true },
      { path: "/data", subpath: null, readOnly: false },
      { path: "/srv/reports", subpath: "reports", readOnly: false },
      { path: "/whole", subpath: null, readOnly: false },
      { path: "/logs", subpath: "logs", readOnly: true },
    ],
    project: [
      { path: "/shared", subpath: "shared", readOnly: true },
      { path: "/project", subpath: null, readOnly: false },
      { path: "/p2", subpath: null, readOnly: true },
    ],
    images: [
      { image: "busybox", path: "/opt/base", subpath: null, readOnly: false },
      { image: "registry.example.com:5000/tools:1", path: "/opt/tools", subpath: null, readOnly: true },
      { image: "alpine:3", path: "/opt/alpine", subpath: "bin", readOnly: true },
    ],
    emptyDirs: [
      { path: "/tmp/cache", readOnly: false },
      { path: "/tmp/ro", readOnly: true },
      { path: "/scratch", readOnly: true },
    ],
    volumes: null,
  });
  assert.deepEqual(api?.mounts, { ...NO_MOUNTS, room: [] });
});

test("a custom token is stored as MeshAgent's ApiScope dumps it (aliases resolved, defaults filled)", async () => {
  const [service] = (await loadConfig(fixture("valid/custom-token.yaml"))).services;
  assert.deepEqual(service?.token, {
    scope: {
      dataset: { list_tables: false },
      agents: { register_agent: true, register_public_toolkit: true, register_private_toolkit: true, call: true, use_agents: true, use_tools: true },
    },
  });
  assert.equal(service?.identity, "worker-bot");
});

test("a UTF-8 BOM is tolerated", async () => {
  const desired = await loadConfig(fixture("valid/bom.yaml"));
  assert.deepEqual(desired.services[0]?.locations.tag, { file: fixture("valid/bom.yaml"), line: 4, column: 10 });
});

describe("loadConfig errors", () => {
  test("a missing file is a ConfigError at file:1:1 that suggests -f", async () => {
    const error = await loadConfig("no/such/.meshdeploy.yaml").catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, "E_CONFIG");
    assert.deepEqual(error.diagnostics, [
      {
        message: "config file not found: no/such/.meshdeploy.yaml",
        location: { file: "no/such/.meshdeploy.yaml", line: 1, column: 1 },
        hint: "run meshdeploy where .meshdeploy.yaml is, or name the file with -f FILE",
        rule: "file",
      },
    ]);
    // No `file:1:1:` prefix: a location in a file that does not exist would be made up (audit item 18).
    assert.equal(error.message, "config file not found: no/such/.meshdeploy.yaml");
  });

  test("a directory is refused", async () => {
    const error = await loadConfig(fixture("valid")).catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.diagnostics[0]?.message, `Expected a config file, got a directory: ${fixture("valid")}`);
  });

  test("every diagnostic of a phase is reported, sorted by position", async () => {
    const error = await loadConfig(fixture("invalid/mount-syntax.yaml")).catch((e: unknown) => e);
    assert.ok(error instanceof ConfigError);
    assert.equal(error.diagnostics.length, 9);
    assert.match(error.message, /^.*mount-syntax\.yaml:6:14: mounts\.room must be in the form .* \(and 8 more\)$/);
  });

  test("rule findings from different rules interleave by position", () => {
    const text = "version: 1\nservices:\n  - tag: Web:1\n    room: dev\n    secrets: {A: s}\n  - tag: api:1\n    room: Bad\n";
    const result = parseConfig(text, "/x/shop/.meshdeploy.yaml");
    assert.ok(!result.ok);
    assert.deepEqual(seen(result.diagnostics), [
      { at: "3:10", rule: "tag", message: "invalid repository name in `tag:` Web:1" },
      { at: "5:5", rule: "secrets-token", message: "Expected `runAs:` (MeshAgent 0.45+) or `token:` (0.39) on a service with `secrets:`, got neither" },
      {
        at: "7:11",
        rule: "room-name",
        message: "Expected a MeshAgent room name (1–63 lowercase letters, digits or '-', starting and ending with a letter or digit) for `services[1].room`, got \"Bad\"",
      },
    ]);
  });
});

describe("parseConfig", () => {
  test("is what loadConfig uses: same input, same result, input untouched", async () => {
    const file = fixture("valid/design-example.yaml");
    const text = readFileSync(file, "utf8");
    const result = parseConfig(text, file);
    assert.ok(result.ok);
    assert.deepEqual(result.desired, await loadConfig(file));
    assert.deepEqual(parseConfig(text, file), result);
  });

  test("resolves a relative file name for DesiredState.file but reports it as given", () => {
    const result = parseConfig("version: 1\nservices: []\n", "rel/.meshdeploy.yaml");
    assert.ok(result.ok);
    assert.equal(result.desired.file, `${process.cwd()}/rel/.meshdeploy.yaml`);
    assert.equal(result.desired.owner, "rel");
    const bad = parseConfig("version: 3\nservices: []\n", "rel/.meshdeploy.yaml");
    assert.ok(!bad.ok);
    assert.equal(bad.diagnostics[0]?.location.file, "rel/.meshdeploy.yaml");
  });

  test("later phases wait for earlier ones (no rule runs on a schema-invalid document)", () => {
    const result = parseConfig("version: 1\nroom: Bad\nservices: [{tag: web:1, publik: true}]\n", "/x/shop/.meshdeploy.yaml");
    assert.ok(!result.ok);
    assert.deepEqual(seen(result.diagnostics), [{ at: "3:25", rule: "schema", message: "unknown key `publik`; did you mean `public`?" }]);
  });
});

test("the environment is managed when env, secrets or token is written (even empty), as any CLI env flag replaces it", () => {
  const manages = (fields: string): boolean => {
    const result = parseConfig(`version: 1\nroom: dev\nservices:\n  - tag: web:1\n${fields}`, "/x/.meshdeploy.yaml", { env: {} });
    assert.ok(result.ok, JSON.stringify(result));
    return result.desired.services[0]!.manageEnvironment;
  };
  assert.equal(manages(""), false);
  assert.equal(manages("    env: {}\n"), true);
  assert.equal(manages("    env: {A: b}\n"), true);
  assert.equal(manages("    token: agentDefault\n"), true);
  assert.equal(manages("    token: agentDefault\n    secrets: {S: sec}\n"), true);
});
