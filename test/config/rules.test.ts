import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DesiredService } from "../../src/model/desired.js";
import { parseConfig } from "../../src/config/load.js";
import { findDuplicateServiceNames, isValidRoomName, offlineServiceName } from "../../src/config/rules.js";
import { seen } from "./helpers.js";

const FILE = "/work/shop/.meshdeploy.yaml";

function services(text: string): DesiredService[] {
  const result = parseConfig(text, FILE);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.diagnostics));
  return result.desired.services;
}

function problems(text: string) {
  const result = parseConfig(text, FILE);
  assert.ok(!result.ok, "expected diagnostics");
  return seen(result.diagnostics);
}

describe("room names (MeshAgent is_valid_room_name)", () => {
  test("1–63 lowercase letters, digits and inner dashes", () => {
    for (const ok of ["a", "dev", "dev-1", "0", "a".repeat(63)]) assert.ok(isValidRoomName(ok), ok);
    for (const bad of ["", "Dev", "dev_1", "-dev", "dev-", "a".repeat(64), "dév"]) assert.ok(!isValidRoomName(bad), bad);
  });
});

describe("findDuplicateServiceNames (also run by the engine with the real project key)", () => {
  const list = services("version: 1\nroom: dev\nservices:\n  - tag: web:1\n  - tag: acme/web:2\n  - tag: api:1\n    room: other\n  - tag: api:2\n");

  test("uses the naming function it is given, per room", () => {
    // With the real key "acme", web:1 and acme/web:2 are the same service.
    const real = (s: DesiredService) => (s.tag.includes("/") ? s.tag.split(":")[0]!.replace("/", "-") : `acme-${s.tag.split(":")[0]}`);
    assert.deepEqual(seen(findDuplicateServiceNames(list, real)), [
      { at: "5:10", rule: "duplicate-service-name", message: "duplicate service name `acme-web` in room `dev`: the service at line 4 derives the same name" },
    ]);
  });

  test("skips services whose name cannot be derived", () => {
    assert.deepEqual(findDuplicateServiceNames(list, () => null), []);
  });

  test("offline (validate), names that involve the project key only collide with each other", () => {
    assert.deepEqual(findDuplicateServiceNames(list, (s) => offlineServiceName(s.tag)), []);
    assert.equal(offlineServiceName("web:1"), "<project-key>-web");
    assert.equal(offlineServiceName("registry.meshagent.com/web"), "<project-key>-web");
    assert.equal(offlineServiceName("project-key/web:1"), "project-key-web");
    assert.equal(offlineServiceName("ghcr.io/org/app:v1"), "org-app");
    assert.equal(offlineServiceName("Web:1"), null);
  });
});

describe("domain, secrets, identity and env rules", () => {
  test("domain with exactly one published port is fine", () => {
    services("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    ports: [{num: 80, published: true}, {num: 81}]\n    domain: a.example.com\n");
  });

  test("secrets with a token for the same (agent) identity are fine", () => {
    services("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    identity: web-bot\n    token: userDefault\n    secrets: {DB: sec_1}\n");
  });

  test("a user identity is refused with secrets as well as with a token, and only then", () => {
    services("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    identity: alice@example.com\n");
    assert.deepEqual(problems("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    identity: ' a@b '\n    token: full\n    secrets: {DB: s}\n"), [
      { at: "5:15", rule: "agent-identity", message: "Expected an agent identity (no '@') for `identity` with `token:` and `secrets:`, got \"a@b\"" },
    ]);
  });

  test("token-written names are free without a token", () => {
    services("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    env: {OPENAI_API_KEY: sk, ANTHROPIC_API_KEY: x}\n");
  });

  test("a service with several problems reports each", () => {
    assert.deepEqual(problems("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    token: agentDefault\n    env: {ANTHROPIC_API_KEY: x, K: v}\n    secrets: {K: s}\n    ports: [{num: 8078}, {num: 8078}]\n"), [
      { at: "6:11", rule: "token-env", message: "`ANTHROPIC_API_KEY` in `env:` conflicts with `token:`, which sets it" },
      { at: "7:15", rule: "env-secret-clash", message: "environment variable `K` is set in both `env:` (line 6) and `secrets:`" },
      { at: "8:19", rule: "port-reserved", message: "service port 8078 is reserved for MeshAgent room infrastructure; reserved ports: 8078" },
      { at: "8:32", rule: "port-reserved", message: "service port 8078 is reserved for MeshAgent room infrastructure; reserved ports: 8078" },
      { at: "8:32", rule: "port-unique", message: "port 8078 is declared twice in this service (first at line 8)" },
    ]);
  });
});
