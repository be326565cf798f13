// A room upgraded under meshdeploy: services applied on 0.39.9, the same data dir reopened as
// 0.50.1 (stored specs migrated as the server would), and the next plan shows only changes it can
// explain — then, once applied, none: never a perpetual diff.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import type { Plan } from "../../src/plan/types.js";
import { type Harness, startHarness } from "../helpers/local-room.js";

const CONFIG = `version: 1
room: dev
owner: upgrade
services:
  - tag: acme/web:1
    env: {APP_ENV: dev}
    ports: [{num: 8000, liveness: /health, published: true}]
    mounts:
      room: ["/data:/srv/data:ro"]
      emptyDirs: ["/tmp/cache"]
  - tag: acme/agent:1
    token: agentDefault
  - tag: acme/docs:1
    public: true
`;

describe("upgrading the room from 0.39.9 to 0.50.1 under meshdeploy", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform: "0.39.9" });
  });
  after(() => h.close());

  async function plan(): Promise<Plan> {
    return (await planDesired(h.target(), await loadConfig(await h.writeConfig(CONFIG)))).plan;
  }
  async function apply(): Promise<Plan> {
    const run = await planDesired(h.target(), await loadConfig(await h.writeConfig(CONFIG)));
    const result = await applyRun(h.target(), run, { concurrency: 2, pollIntervalMs: 25 });
    assert.equal(result.summary.failed, 0, result.results.map((r) => r.error?.message).join("; "));
    return run.plan;
  }

  it("converges on 0.39.9, plans only explained changes after the upgrade, and converges again", async () => {
    assert.deepEqual((await apply()).summary, { create: 3, update: 0, delete: 0, noop: 0 });
    assert.deepEqual((await plan()).summary.noop, 3);

    await h.restart("0.50.1");
    assert.equal(h.room.platform, "0.50.1");
    const upgraded = await plan();
    assert.deepEqual(upgraded.platform, { version: "0.50.1", source: "server" });
    // Every change is one the generation explains: 0.42+ has validation modes (the 0.39 rule wrote
    // cookie for a private service; the current CLI writes none by default) and 0.50.1's agentDefault
    // preset injects two more provider keys. Nothing else differs, nothing is drift, nothing recreated.
    const changed = Object.fromEntries(upgraded.services.map((s) => [s.name, s.changes.map((c) => c.path)]));
    assert.deepEqual(changed, {
      "acme-web": ["metadata.annotations.meshagent.request.validation.method", "ports[8000].annotations.meshagent.request.validation.method"],
      "acme-agent": ["container.environment.GROK_API_KEY", "container.environment.XAI_API_KEY", "metadata.annotations.meshagent.request.validation.method"],
      "acme-docs": [],
    });
    for (const service of upgraded.services.filter((s) => s.type === "update")) {
      assert.equal(service.drift, false);
      assert.match(service.reason, /^the server now speaks MeshAgent 0\.50\.1: the same config is written differently there \(/);
    }
    assert.deepEqual(upgraded.summary.create + upgraded.summary.delete, 0, "nothing is recreated or deleted");

    await apply();
    const settled = await plan();
    assert.deepEqual(settled.summary, { create: 0, update: 0, delete: 0, noop: 3 }, JSON.stringify(settled.services.map((s) => s.changes)));
    // And it stays settled across another restart of the upgraded room.
    await h.restart("0.50.1");
    assert.deepEqual((await plan()).summary.noop, 3);
  });
});
