// The wire per generation: at 0.50.1 a declared secret + runAs, volumes, template and enabled give
// exactly the body MeshAgent's own 0.50.1 models dump for the same spec (spec-vectors-0.50.1.json),
// and a PUT over a 0.39-shaped live service never carries a field the 0.50.1 models lack.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SERVICE_ID } from "../../src/model/annotations.js";
import type { JsonObject, LiveService } from "../../src/model/service-spec.js";
import { dumpServiceSpec, specModelsFor, validateServiceSpec } from "../../src/model/spec-model.js";
import { buildServiceSpec, PLATFORM_0_39, type WirePlatform } from "../../src/model/wire.js";
import { service } from "../helpers/services.js";

const V050 = JSON.parse(readFileSync(new URL("../fixtures/spec-vectors-0.50.1.json", import.meta.url), "utf8")) as { cases: { name: string; post?: JsonObject }[] };
const vector = (name: string): JsonObject => structuredClone(V050.cases.find((c) => c.name === name)!.post!);
const P050: WirePlatform = { version: "0.50.1", generation: "0.50.1" };
const models = specModelsFor("0.50.1");

/** Our POST body without the service-id annotation meshdeploy (like the CLI) adds, which the vector's input lacks. */
function post(desired: ReturnType<typeof service>, platform = P050): JsonObject {
  const body = dumpServiceSpec(buildServiceSpec(desired, null, {}, platform), { excludeNone: true, excludeId: true }, specModelsFor(platform.generation));
  const metadata = body["metadata"] as JsonObject;
  const annotations = metadata["annotations"] as Record<string, string>;
  assert.equal(annotations[SERVICE_ID], desired.name);
  delete annotations[SERVICE_ID];
  if (Object.keys(annotations).length === 0) delete metadata["annotations"];
  return body;
}

const base = { name: "acme-web", image: "registry.meshagent.com/acme/web:1", public: true };

describe("wire at 0.50.1", () => {
  it("secrets + runAs: {secret: {id}}, run_as with the CLI's secret scopes — the vector's body byte for byte", () => {
    const body = post(service({ ...base, secrets: [{ name: "DB_PASSWORD", secretId: "sec_1" }], runAs: { email: "bot@p1.serviceaccounts.meshagent.com", scopes: null } }));
    assert.equal(JSON.stringify(body), JSON.stringify(vector("secret-id-run-as")));
  });

  it("mounts.volumes — the vector's body byte for byte", () => {
    const volumes = [
      { name: "cache", path: "/cache", subpath: null, readOnly: false },
      { name: "models", path: "/models", subpath: "llm", readOnly: true },
    ];
    const body = post(service({ ...base, manageEnvironment: false, mounts: { room: null, project: null, images: null, emptyDirs: null, volumes } }));
    assert.equal(JSON.stringify(body), JSON.stringify(vector("mounts-volumes")));
  });

  it("template and enabled are written when declared (the server's defaults otherwise)", () => {
    const declared = post(service({ ...base, manageEnvironment: false, template: "none", enabled: false }));
    assert.equal((declared["container"] as JsonObject)["template"], "none");
    assert.equal(declared["enabled"], false);
    const undeclared = post(service({ ...base, manageEnvironment: false }));
    assert.equal((undeclared["container"] as JsonObject)["template"], "agent", "the model default, as the real client sends it");
    assert.equal(undeclared["enabled"], true);
  });

  it("a PUT over a 0.39-shaped live service carries no secrets, project mounts or secret identity", () => {
    const live: LiveService = {
      id: "svc_1",
      version: "v1",
      kind: "Service",
      metadata: { name: "acme-web", annotations: {} },
      container: {
        image: "registry.meshagent.com/acme/web:0",
        secrets: null,
        environment: [{ name: "OLD", secret: { identity: "acme-web", id: "sec_0" } }],
        storage: { project: [{ path: "/shared", read_only: true }], room: [{ path: "/r" }] },
      },
    };
    const desired = service({ ...base, secrets: [{ name: "DB", secretId: "sec_1" }], runAs: { email: "Bot@P1.example", scopes: ["extra"] } });
    const put = dumpServiceSpec({ ...buildServiceSpec(desired, live, {}, P050), id: "svc_1" }, { excludeNone: false }, models);
    const text = JSON.stringify(put);
    assert.doesNotMatch(text, /"secrets":null|"project":|"identity":"acme-web","id"/);
    assert.deepEqual(validateServiceSpec(put, models), [], "the 0.50.1 models accept the PUT");
    // ServiceRunAs lower-cases the email (the config loader does too; here the model does it).
    assert.deepEqual((put["container"] as JsonObject)["run_as"], { email: "bot@p1.example", scopes: ["extra", "secrets:proxy", "secrets:read"] });
  });

  it("private services get no cookie validation by default; `validation: cookie` adds it; at 0.39 private means cookie", () => {
    const ports = [{ num: 8000, type: "http" as const, liveness: null, published: true }];
    const annotations = (body: JsonObject): unknown => (body["ports"] as JsonObject[])[0]!["annotations"];
    assert.equal(annotations(post(service({ ...base, public: false, manageEnvironment: false, ports }))), undefined);
    assert.deepEqual(annotations(post(service({ ...base, public: false, manageEnvironment: false, ports, validation: "cookie" }))), { "meshagent.request.validation.method": "cookie" });
    const old = dumpServiceSpec(buildServiceSpec(service({ ...base, public: false, manageEnvironment: false, ports }), null, {}, PLATFORM_0_39), { excludeNone: true, excludeId: true });
    assert.deepEqual(annotations(old), { "meshagent.request.validation.method": "cookie" });
  });

  it("token presets and token variables follow the generation", () => {
    const env = (platform: WirePlatform): JsonObject[] =>
      (dumpServiceSpec(buildServiceSpec(service({ ...base, token: { preset: "agentDefault" } }), null, {}, platform), { excludeNone: true, excludeId: true }, specModelsFor(platform.generation))["container"] as JsonObject)["environment"] as JsonObject[];
    assert.deepEqual(env(P050).map((e) => e["name"]), ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GROK_API_KEY", "XAI_API_KEY"]);
    assert.deepEqual(env(PLATFORM_0_39).map((e) => e["name"]), ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"]);
    const api = (e: JsonObject): JsonObject => (e["token"] as JsonObject)["api"] as JsonObject;
    assert.ok("sqlite" in api(env(P050)[0]!) && !("secrets" in api(env(P050)[0]!)), "0.50.1 agent_default: sqlite, no secrets");
    assert.ok(!("sqlite" in api(env(PLATFORM_0_39)[0]!)) && "secrets" in api(env(PLATFORM_0_39)[0]!));
    const agentDefault = vector("token-agent_default");
    assert.deepEqual(api(env(P050)[0]!), (((agentDefault["container"] as JsonObject)["environment"] as JsonObject[])[0]!["token"] as JsonObject)["api"]);
  });
});
