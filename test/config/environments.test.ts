// Environments: the merge rules as a pure function (maps merge by key, lists replace, null
// removes), the service key an overlay uses, and through parseConfig: selection errors, located
// overlay errors (at the overlay's line), interpolation inside overlays, per-environment owners,
// service limits, and validate-all's combined problems.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { combineEnvironmentProblems, mergeValue, serviceKey } from "../../src/config/environments.js";
import { parseConfig } from "../../src/config/load.js";
import type { DesiredState } from "../../src/model/desired.js";
import { defaultOwnerForEnvironment, OWNER_PATTERN } from "../../src/model/owner.js";
import { seen } from "./helpers.js";

const FILE = "/work/shop/.meshdeploy.yaml";
const defaultOwner = { owner: "shop-1a2b3c4d5e6f", source: { type: "git" as const, remote: "github.com/acme/shop", path: ".meshdeploy.yaml" } };

function parse(text: string, environment?: string, env: Record<string, string> = {}) {
  return parseConfig(text, FILE, { env, defaultOwner, ...(environment === undefined ? {} : { environment }) });
}

function ok(text: string, environment?: string, env: Record<string, string> = {}): DesiredState {
  const result = parse(text, environment, env);
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(seen(result.diagnostics)));
  return result.desired;
}

function problems(text: string, environment?: string, env: Record<string, string> = {}) {
  const result = parse(text, environment, env);
  assert.ok(!result.ok, "expected diagnostics");
  return seen(result.diagnostics);
}

const CONFIG = [
  "version: 1", //                                   1
  "room: dev", //                                    2
  "owner: shop", //                                  3
  "services:", //                                    4
  "  - tag: acme/web:1", //                          5
  "    env: {APP_ENV: dev, LOG: debug}", //          6
  "    ports: [{num: 8000, published: true}]", //   7
  "    mounts: {emptyDirs: [/tmp/a, /tmp/b]}", //   8
  "  - tag: worker:1", //                            9
  "    environments: [dev, staging]", //            10
  "environments:", //                               11
  "  dev: {}", //                                   12
  "  staging:", //                                  13
  "    room: staging", //                           14
  "    services:", //                               15
  "      acme-web:", //                             16
  "        env: {APP_ENV: staging, LOG: null}", //  17
  "        mounts: {emptyDirs: [/tmp/c]}", //       18
  "  prod:", //                                     19
  "    room: prod", //                              20
  "    owner: shop-production", //                  21
  "    prune: true", //                             22
  "    services:", //                               23
  "      acme-web:", //                             24
  '        env: {APP_ENV: "${PROD_ENV}"}', //       25
  "        domain: web.example.com", //             26
  "        protect: true", //                       27
].join("\n");

describe("mergeValue", () => {
  const merge = (base: unknown, overlay: unknown) => mergeValue(base, overlay, [], [], new Map());

  it("merges maps by key, recursively", () => {
    assert.deepEqual(merge({ a: 1, m: { x: 1, y: 2 } }, { b: 2, m: { y: 3, z: 4 } }), { a: 1, b: 2, m: { x: 1, y: 3, z: 4 } });
  });

  it("replaces lists whole, never concatenates", () => {
    assert.deepEqual(merge({ ports: [{ num: 1 }, { num: 2 }] }, { ports: [{ num: 3 }] }), { ports: [{ num: 3 }] });
  });

  it("removes a key whose overlay value is null", () => {
    assert.deepEqual(merge({ domain: "a.example.com", env: { A: "1", B: "2" } }, { domain: null, env: { B: null } }), { env: { A: "1" } });
  });

  it("replaces a scalar with a map and a map with a scalar", () => {
    assert.deepEqual(merge({ build: "./web" }, { build: { context: "./web", dockerfile: "Prod.Dockerfile" } }), { build: { context: "./web", dockerfile: "Prod.Dockerfile" } });
    assert.deepEqual(merge({ token: { room: { messaging: true } } }, { token: "agentDefault" }), { token: "agentDefault" });
  });

  it("never changes its inputs", () => {
    const base = { env: { A: "1" }, ports: [{ num: 1 }] };
    const overlay = { env: { A: null, B: "2" }, ports: [] };
    const before = structuredClone([base, overlay]);
    merge(base, overlay);
    assert.deepEqual([base, overlay], before);
  });
});

describe("serviceKey", () => {
  it("is name:, else the tag-derived name without <project-key>-", () => {
    assert.equal(serviceKey({ tag: "acme/web:1", name: "front" }), "front");
    assert.equal(serviceKey({ tag: "acme/web:1" }), "acme-web");
    assert.equal(serviceKey({ tag: "web:1" }), "web");
    assert.equal(serviceKey({ tag: "registry.meshagent.com/acme/api:2" }), "acme-api");
  });
});

describe("parseConfig with environments", () => {
  it("staging: map merged by key, null removed, list replaced, room overridden, its own owner", () => {
    const desired = ok(CONFIG, "staging");
    assert.equal(desired.environment, "staging");
    assert.equal(desired.owner, "shop.staging");
    assert.equal(desired.prune, false);
    const [web, worker] = desired.services;
    assert.deepEqual(web?.env, [{ name: "APP_ENV", value: "staging" }]);
    assert.deepEqual(web?.mounts.emptyDirs, [{ path: "/tmp/c", readOnly: false }]);
    assert.equal(web?.room, "staging");
    assert.equal(worker?.room, "staging");
    assert.equal(worker?.index, 1);
  });

  it("prod: the service limit leaves worker out; interpolation works inside the overlay; owner: wins", () => {
    const desired = ok(CONFIG, "prod", { PROD_ENV: "production" });
    assert.equal(desired.owner, "shop-production");
    assert.equal(desired.prune, true);
    assert.deepEqual(desired.services.map((s) => s.tag), ["acme/web:1"]);
    const web = desired.services[0]!;
    assert.deepEqual(web.env, [{ name: "APP_ENV", value: "production" }, { name: "LOG", value: "debug" }]);
    assert.equal(web.domain, "web.example.com");
    assert.equal(web.protect, true);
    // Later diagnostics (plan problems) point at the overlay's line.
    assert.equal(web.locations.fields?.["domain"]?.line, 26);
    assert.equal(web.locations.room.line, 20);
    assert.equal(web.locations.tag.line, 5);
  });

  it("a variable only one environment uses is not needed by the others", () => {
    assert.equal(ok(CONFIG, "dev").services.length, 2);
    const [first, ...rest] = problems(CONFIG, "prod");
    assert.deepEqual([first?.at, first?.rule, rest], ["25:25", "interpolation", []]);
  });

  it("without a selection: an error at `environments:` that lists them", () => {
    const [first, ...rest] = problems(CONFIG);
    assert.deepEqual(rest, []);
    assert.equal(first?.at, "11:1");
    assert.match(first!.message, /declares environments \(dev, staging, prod\): choose one with -e\/--environment NAME or MESHDEPLOY_ENVIRONMENT/);
  });

  it("an unknown selection: did you mean", () => {
    assert.deepEqual(problems(CONFIG, "stagign"), [{ at: "11:1", rule: "environment", message: 'unknown environment "stagign"; did you mean "staging"?' }]);
  });

  it("a selection on a config without environments is refused", () => {
    const [first] = problems("version: 1\nroom: dev\nservices: [{tag: web:1}]\n", "prod");
    assert.equal(first?.rule, "environment");
    assert.match(first!.message, /declares no environments/);
  });

  it("a config without environments is unchanged (no environment field, same owner)", () => {
    const desired = ok("version: 1\nroom: dev\nservices: [{tag: web:1}]\n");
    assert.equal(desired.environment, undefined);
    assert.equal(desired.owner, defaultOwner.owner);
  });

  it("an overlay value the schema refuses is located at the overlay's line", () => {
    const text = CONFIG.replace("        protect: true", '        protect: "yes"');
    const [first] = problems(text, "prod", { PROD_ENV: "p" });
    assert.equal(first?.at, "27:18");
    assert.equal(first?.rule, "schema");
    // …and only in that environment.
    assert.equal(ok(text, "staging").owner, "shop.staging");
  });

  it("a rule finding about an overlay value is located there (room name)", () => {
    const text = CONFIG.replace("    room: staging", "    room: Staging_Room");
    const found = problems(text, "staging");
    assert.ok(found.some((p) => p.at.startsWith("14:") && p.rule === "room-name"), JSON.stringify(found));
  });

  it("an unknown key in a service overlay: did you mean, at the key", () => {
    const text = CONFIG.replace("        domain: web.example.com", "        domian: web.example.com");
    const [first] = problems(text, "prod", { PROD_ENV: "p" });
    assert.equal(first?.at, "26:9");
    assert.match(first!.message, /unknown key `domian`; did you mean `domain`\?/);
  });

  it("an overlay naming an unknown service: located, with did you mean", () => {
    const text = CONFIG.replace("      acme-web:\n        env: {APP_ENV: staging", "      acme-wbe:\n        env: {APP_ENV: staging");
    assert.deepEqual(problems(text, "staging"), [{ at: "16:7", rule: "environment", message: 'environment "staging" names unknown service "acme-wbe"; did you mean "acme-web"?' }]);
  });

  it("an unknown environment in a service limit: located at the entry, with did you mean", () => {
    const text = CONFIG.replace("environments: [dev, staging]", "environments: [dev, stagin]");
    assert.deepEqual(problems(text, "dev"), [{ at: "10:25", rule: "environment", message: 'unknown environment "stagin"; did you mean "staging"?' }]);
  });

  it("an overlay for a service its own limit leaves out of that environment is an error", () => {
    const text = CONFIG.replace("      acme-web:\n        env: {APP_ENV: \"${PROD_ENV}\"}", "      worker:\n        env: {APP_ENV: \"${PROD_ENV}\"}");
    assert.deepEqual(problems(text, "prod", { PROD_ENV: "p" }), [{ at: "24:7", rule: "environment", message: 'environment "prod" overrides "worker", which is only in dev, staging' }]);
  });

  it("a service limit without declared environments is an error", () => {
    const [first] = problems("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    environments: [dev]\n");
    assert.equal(first?.at, "5:20");
    assert.match(first!.message, /declares no environments/);
  });

  it("`services: {web: null}` leaves the service out of that environment", () => {
    const text = CONFIG.replace("      acme-web:\n        env: {APP_ENV: staging, LOG: null}\n        mounts: {emptyDirs: [/tmp/c]}", "      acme-web: null");
    assert.deepEqual(ok(text, "staging").services.map((s) => s.tag), ["worker:1"]);
  });

  it("null removes a top-level setting (owner: the default one, scoped)", () => {
    const text = CONFIG.replace("    owner: shop-production", "    owner: null");
    assert.equal(ok(text, "prod", { PROD_ENV: "p" }).owner, `${defaultOwner.owner}.prod`);
    const noOwner = CONFIG.replace("owner: shop\n", "").replace("    owner: shop-production\n", "");
    assert.equal(ok(noOwner, "staging").owner, `${defaultOwner.owner}.staging`);
  });

  it("a written owner too long for its environment suffix is a located error", () => {
    const long = "o".repeat(60);
    const [first] = problems(CONFIG.replace("owner: shop", `owner: ${long}`), "staging");
    assert.equal(first?.at, "3:8");
    assert.equal(first?.rule, "environment");
  });

  it("an environment name the schema refuses is located at its key", () => {
    const [first] = problems(CONFIG.replace("  dev: {}", "  Dev_1: {}"), "staging");
    assert.equal(first?.at, "12:3");
    assert.equal(first?.rule, "schema");
  });
});

describe("defaultOwnerForEnvironment", () => {
  it("keeps a git owner's hash and shortens its slug to fit", () => {
    const long = { owner: `${"a".repeat(50)}-0123456789ab`, source: defaultOwner.source };
    const scoped = defaultOwnerForEnvironment(long, "a-long-environment-name");
    assert.ok(OWNER_PATTERN.test(scoped.owner), scoped.owner);
    assert.ok(scoped.owner.endsWith("-0123456789ab.a-long-environment-name"));
    assert.equal(defaultOwnerForEnvironment(defaultOwner, "prod").owner, "shop-1a2b3c4d5e6f.prod");
  });
});

describe("combineEnvironmentProblems", () => {
  const d = (line: number, message: string) => ({ message, location: { file: FILE, line, column: 1 }, rule: "x" });
  it("one problem found in every environment once; one in some says where", () => {
    const combined = combineEnvironmentProblems([{ name: "dev", diagnostics: [d(1, "base")] }, { name: "prod", diagnostics: [d(1, "base"), d(9, "overlay")] }], 2);
    assert.deepEqual(combined.map((c) => c.message), ["base", "overlay (in environment prod)"]);
  });
});
