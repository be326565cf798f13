// `meshdeploy import` (issue 17 item 1), on each generation: the file it writes is a valid config
// whose plan against the same room is No changes or records-only adoption writes (never a rebuild
// or a restart, unless a comment at the service says what still differs), and after applying it
// the plan is No changes. A property test imports random rooms.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { planDesired } from "../../src/reconcile.js";
import type { Plan } from "../../src/plan/types.js";
import { runInProcess } from "../helpers/capture-io.js";
import { call, PID, servicesPath, startHarness, TOKEN, type Harness } from "../helpers/local-room.js";
import { forEachPlatform, type PlatformVersion } from "../helpers/platforms.js";

/** Every service change of the plan is either meshdeploy's records or named in the file's comment at that service. */
function assertHonest(plan: Plan, text: string): void {
  for (const s of plan.services) {
    assert.notEqual(s.type, "create", `${s.name}: imported services exist`);
    assert.notEqual(s.type, "delete", `${s.name}: nothing is deleted`);
    assert.equal(s.build, null, `${s.name}: never a rebuild`);
    const changed = s.changes.map((c) => c.path).filter((p) => !p.startsWith("metadata.annotations.meshdeploy.") && !p.startsWith("route["));
    for (const p of changed) assert.ok(text.includes(p), `${s.name}: ${p} changes, and the file does not say so:\n${text}`);
    if (s.restart) assert.ok(text.includes("and restart it"), `${s.name} restarts without a comment saying so`);
  }
  assert.deepEqual(plan.problems, []);
}

const agentScope = async (h: Harness, platform: PlatformVersion): Promise<unknown> => {
  // The preset exactly as meshdeploy writes it, taken from a service it created.
  const { apiScopePreset, specModelsFor } = await import("../../src/model/spec-model.js");
  void h;
  return apiScopePreset("agentDefault", specModelsFor(platform));
};

forEachPlatform("meshdeploy import", (platform) => {
  let h: Harness;
  let env: Record<string, string>;
  before(async () => {
    h = await startHarness({ platform, rooms: ["dev"] });
    env = { MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID };
  });
  after(() => h.close());
  const cli = (args: string[]) => runInProcess([...args, "--api-url", h.room.url], { cwd: h.projectDir, env });

  it("imports CLI-made services into a config that plans to records-only adoption, then to No changes", async () => {
    const scope = await agentScope(h, platform);
    const tokenNames = platform === "0.39.9" ? ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"] : ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GROK_API_KEY", "XAI_API_KEY"];
    const bodies = [
      {
        version: "v1", kind: "Service",
        metadata: { name: "local-web", annotations: { "meshagent.service.id": "local-web", ...(platform === "0.39.9" ? { "meshagent.request.validation.method": "cookie" } : {}) } },
        container: {
          image: "registry.meshagent.com/local/web:1",
          environment: [{ name: "APP_ENV", value: "prod" }, ...tokenNames.map((name) => ({ name, token: { identity: "web-bot", api: scope, role: "agent" } }))],
          storage: { room: [{ path: "/data", subpath: "assets", read_only: true }], empty_dirs: [{ path: "/tmp/cache", read_only: false }] },
          ...(platform === "0.50.1" ? { template: "none" } : {}),
        },
        ports: [{ num: 8000, type: "http", liveness: "/health", published: true, ...(platform === "0.39.9" ? { annotations: { "meshagent.request.validation.method": "cookie" } } : {}) }],
      },
      { version: "v1", kind: "Service", metadata: { name: "local-worker", annotations: { "meshagent.service.id": "local-worker", ...(platform === "0.39.9" ? { "meshagent.request.validation.method": "cookie" } : {}) } }, container: { image: "registry.meshagent.com/local/worker:2" } },
      { version: "v1", kind: "Service", metadata: { name: "odd-name" }, container: { image: "registry.meshagent.com/local/other:1" } },
    ];
    for (const body of bodies) {
      const created = await call(h.room.url, "POST", servicesPath(), body);
      assert.equal(created.status, 200, created.text);
    }
    // The route `meshagent deploy --domain` made (flat on 0.39, a RouteSpec from 0.40.3).
    const { buildRouteSpec } = await import("../../src/model/route-spec.js");
    const annotations = { "meshagent.service.id": "local-web" };
    const routeBody = platform === "0.39.9" ? { domain: "web.example.meshagent.app", room_name: "dev", port: "8000", annotations } : { spec: buildRouteSpec("web.example.meshagent.app", "dev", "8000", annotations) };
    const route = await call(h.room.url, "POST", `/accounts/projects/${PID}/routes`, routeBody);
    assert.equal(route.status, 200, route.text);
    const imported = await cli(["import", "--room", "dev", "-o", ".meshdeploy.yaml"]);
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    assert.match(imported.stderr, /Imported 2 services into \.meshdeploy\.yaml; left out 1/);
    const file = path.join(h.projectDir, ".meshdeploy.yaml");
    const text = await readFile(file, "utf8");
    assert.match(text, /^# yaml-language-server: \$schema=\S+schemas\/meshdeploy\.schema\.json\n/);
    assert.match(text, /odd-name: its image registry\.meshagent\.com\/local\/other:1 derives the name local-other, not odd-name/);
    assert.match(text, /token: agentDefault/);
    assert.match(text, /identity: web-bot/);
    assert.match(text, /domain: web\.example\.meshagent\.app/);
    const valid = await runInProcess(["validate"], { cwd: h.projectDir, env });
    assert.equal(valid.code, 0, valid.stderr);

    const plan = (await planDesired(h.target(), await loadConfig(file), { secretCheck: false })).plan;
    assertHonest(plan, text);
    assert.ok(plan.services.every((s) => s.type === "update" && !s.restart), JSON.stringify(plan.services.map((s) => [s.name, s.type, s.reason, s.changes])));
    const web = plan.services.find((s) => s.name === "local-web")!;
    assert.ok(web.routes.some((r) => r.type === "update"), "the route is taken over (ownership annotations only)");
    assert.match((web.notes ?? []).join("\n"), /takes over the route web\.example\.meshagent\.app/);
    assert.equal((await cli(["import", "--room", "dev", "-o", ".meshdeploy.yaml"])).code, 1, "an existing file is not replaced without --force");

    assert.equal((await cli(["apply", "--yes", "--no-wait"])).code, 0);
    const again = await cli(["plan", "--detailed-exitcode"]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /No changes/);
  });
});
