// replanSaved as a library function (no CLI): a current saved plan comes back exactly as saved,
// with its build contexts rebased; a plan whose touched service moved, or that was made for
// another target, is refused with what moved.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../src/config/load.js";
import { createSavedPlan } from "../src/plan/saved/saved-plan.js";
import { replanSaved, retargetingError } from "../src/reconcile-saved.js";
import type { SavedPlan } from "../src/plan/saved/saved-plan.js";
import { applyRun, planDesired } from "../src/reconcile.js";
import { type Harness, startHarness } from "./helpers/local-room.js";

const CONFIG = "version: 1\nroom: dev\nowner: lib\nservices:\n  - tag: lib/web:1\n    env: {V: \"1\"}\n  - tag: lib/api:1\n";
const TARGET = { apiUrl: "local", projectId: "local" };

describe("replanSaved", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  async function saved(config: string) {
    const desired = await loadConfig(await h.writeConfig(config));
    const run = await planDesired(h.target(), desired);
    return { desired, saved: createSavedPlan({ plan: run.plan, desired, configPath: ".meshdeploy.yaml", target: TARGET, live: run.live, now: new Date(0), version: "test" }) };
  }

  it("hands back exactly the saved actions, which applyRun applies", async () => {
    const { desired, saved: plan } = await saved(CONFIG);
    const replanned = await replanSaved(h.target(), plan, desired, { target: TARGET });
    assert.equal(replanned.stale, false);
    if (replanned.stale) return;
    assert.deepEqual(replanned.run.plan, plan.plan);
    const result = await applyRun(h.target(), replanned.run, { concurrency: 2, wait: false });
    assert.equal(result.summary.created, 2);
  });

  it("refuses when a touched service changed since, or the target differs", async () => {
    const { desired, saved: plan } = await saved(CONFIG.replace('V: "1"', 'V: "2"'));
    const web = (await h.target().listServices("dev")).find((s) => s.metadata.name === "lib-web")!;
    await h.target().updateService("dev", web.id!, { ...web, metadata: { ...web.metadata, annotations: { ...web.metadata.annotations, other: "edit" } } });
    const moved = await replanSaved(h.target(), plan, desired, { target: TARGET });
    assert.equal(moved.stale, true);
    assert.match(moved.stale ? moved.reasons.join("\n") : "", /lib-web/);
    const elsewhere = await replanSaved(h.target(), plan, desired, { target: { apiUrl: "https://api.example.test", projectId: "local" } });
    assert.equal(elsewhere.stale, true);
    assert.match(elsewhere.stale ? elsewhere.reasons.join("\n") : "", /^target: /m);
  });
});

describe("retargetingError", () => {
  it("suggests a new plan for the saved plan's environment", () => {
    const saved = { plan: { environment: "staging", targets: { services: ["acme-web"], rooms: [], exclude: [] } } } as unknown as SavedPlan;
    const error = retargetingError(saved, { services: ["acme-worker"], rooms: [], exclude: [] });
    assert.ok(error !== null);
    assert.match(error.hint ?? "", /make a new one: meshdeploy plan -e staging --service acme-worker --out PLAN\.json$/);
  });
});
