// The engine against the real embedded local room: apply converges, a second run changes
// nothing, single-field edits are single-field updates, prune is owner-scoped. Once per generation.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import type { Plan } from "../../src/plan/types.js";
import { type Harness, startHarness } from "../helpers/local-room.js";
import { forEachPlatform, secretGrant, type SecretGrant } from "../helpers/platforms.js";

const config = (secret: SecretGrant): string => `version: 1
room: dev
owner: shop
services:
  - tag: web:1
    env: {APP_ENV: dev}
    ports: [{num: 8000, liveness: /health, published: true}]
  - tag: acme/worker:2
    token: agentDefault
    secrets: {DB: ${secret.id}}
${secret.serviceLines("    ")}    mounts:
      room: ["/data:/srv/data:ro"]
      emptyDirs: ["/tmp/cache"]
  - tag: acme/docs:1
    room: docs
    public: true
`;

forEachPlatform("reconcile against the local room", (platform) => {
  let h: Harness;
  let CONFIG: string;
  before(async () => {
    h = await startHarness({ rooms: ["dev", "docs"], platform });
    CONFIG = config(await secretGrant(h, platform, "dev", "sec_1", "acme-worker"));
  });
  after(() => h.close());

  async function plan(yaml: string, prune = false): Promise<Plan> {
    return (await planDesired(h.target(), await loadConfig(await h.writeConfig(yaml)), { prune })).plan;
  }
  async function apply(yaml: string, prune = false): Promise<Plan> {
    const run = await planDesired(h.target(), await loadConfig(await h.writeConfig(yaml)), { prune });
    const result = await applyRun(h.target(), run, { concurrency: 4, pollIntervalMs: 25 });
    assert.equal(result.summary.failed, 0, result.results.map((r) => r.error?.message).join("; "));
    return run.plan;
  }

  it("creates every service, then a second plan is empty", async () => {
    const first = await apply(CONFIG);
    assert.deepEqual(first.summary, { create: 3, update: 0, delete: 0, noop: 0 });
    assert.deepEqual(first.services.map((s) => `${s.room}/${s.name}`), ["dev/local-web", "dev/acme-worker", "docs/acme-docs"]);
    assert.equal(first.services[0]?.image, "registry.meshagent.com/local/web:1");
    const second = await plan(CONFIG);
    assert.deepEqual(second.summary, { create: 0, update: 0, delete: 0, noop: 3 });
  });

  it("changing one env value is exactly one update with that field, and converges", async () => {
    const edited = CONFIG.replace("APP_ENV: dev", "APP_ENV: prod");
    const p = await apply(edited);
    assert.deepEqual(p.summary, { create: 0, update: 1, delete: 0, noop: 2 });
    const update = p.services.find((s) => s.type === "update");
    assert.deepEqual(update?.changes, [{ path: "container.environment.APP_ENV", before: "dev", after: "prod" }]);
    assert.deepEqual((await plan(edited)).summary, { create: 0, update: 0, delete: 0, noop: 3 });
  });

  it("leaves a service created outside meshdeploy untouched, even with prune", async () => {
    const http = h.target();
    await http.createService("dev", { version: "v1", kind: "Service", metadata: { name: "hand-made" }, container: { image: "x:1" } });
    const before = (await http.listServices("dev")).find((s) => s.metadata.name === "hand-made");
    const p = await apply(CONFIG.replace("APP_ENV: dev", "APP_ENV: prod"), true);
    assert.equal(p.services.some((s) => s.name === "hand-made"), false);
    const after = (await http.listServices("dev")).find((s) => s.metadata.name === "hand-made");
    assert.deepEqual(after, before);
  });

  it("deletes a removed service only with prune", async () => {
    const withoutWorker = CONFIG.replace("APP_ENV: dev", "APP_ENV: prod").replace(/  - tag: acme\/worker:2[\s\S]*?(?=  - tag: acme\/docs)/, "");
    const kept = await plan(withoutWorker);
    assert.deepEqual(kept.summary.delete, 0);
    assert.deepEqual(kept.orphans.map((o) => o.name), ["acme-worker"]);
    const pruned = await apply(withoutWorker, true);
    assert.deepEqual(pruned.services.filter((s) => s.type === "delete").map((s) => s.name), ["acme-worker"]);
    const names = (await h.target().listServices("dev")).map((s) => s.metadata.name).sort();
    assert.deepEqual(names, ["hand-made", "local-web"]);
  });

  it("corrects drift made out of band", async () => {
    const yaml = CONFIG.replace("APP_ENV: dev", "APP_ENV: prod");
    await apply(yaml);
    const t = h.target();
    const web = (await t.listServices("dev")).find((s) => s.metadata.name === "local-web")!;
    await t.updateService("dev", web.id, { ...web, container: { ...web.container!, image: "evil:1" } });
    const p = await apply(yaml);
    const update = p.services.find((s) => s.name === "local-web")!;
    assert.equal(update.drift, true);
    assert.deepEqual(update.changes, [{ path: "container.image", before: "evil:1", after: "registry.meshagent.com/local/web:1" }]);
    assert.deepEqual((await plan(yaml)).summary.noop, 3);
  });

  it("keeps every service across a local room restart", async () => {
    const yaml = CONFIG.replace("APP_ENV: dev", "APP_ENV: prod");
    await apply(yaml);
    await h.restart();
    assert.deepEqual((await plan(yaml)).summary, { create: 0, update: 0, delete: 0, noop: 3 });
  });

  it("costs one request per room for a no-op plan, plus the naming look-up and the project's room listing", async () => {
    const yaml = CONFIG.replace("APP_ENV: dev", "APP_ENV: prod");
    const t = h.target();
    await planDesired(t, await loadConfig(await h.writeConfig(yaml)));
    // 2 rooms + GET /config + GET project (web:1 is shorthand and needs the project key) + GET rooms
    // (prune sees every room the owner has services in; read/read-elsewhere.ts).
    assert.equal(t.requestCount(), 5);
  });
});
