// apply against the local room: one failing service never stops the others, the summary says
// exactly what happened, an interrupted apply skips what had not started, a re-run converges.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { applyPlan, type ApplyEvent } from "../../src/apply/apply-plan.js";
import { computePlan } from "../../src/plan/compute-plan.js";
import { readLive } from "../../src/read/read-live.js";
import type { ResolvedService } from "../../src/model/wire.js";
import { type Harness, startHarness } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";
import { service } from "../helpers/services.js";

const OWNER = { owner: "shop", prune: false };
const desired = (n: number, value = "a"): ResolvedService[] =>
  Array.from({ length: n }, (_, i) => service({ index: i, name: `acme-s${i}`, tag: `acme/s${i}:1`, image: `acme/s${i}:1`, env: [{ name: "V", value }] }));

forEachPlatform("applyPlan", (platform) => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["dev", "elsewhere"], platform });
  });
  after(() => h.close());

  async function planFor(services: ResolvedService[]) {
    const t = h.target();
    // Bodies are written in the generation the server reports, as reconcile does.
    return computePlan(services, await readLive(t, services, { owners: ["shop"], createRooms: false }), { ...OWNER, platform: await t.platform() });
  }

  it("creates in parallel and reports every outcome", async () => {
    const events: ApplyEvent[] = [];
    const result = await applyPlan(h.target(), await planFor(desired(6)), { concurrency: 3, pollIntervalMs: 25, onEvent: (e) => events.push(e) });
    assert.deepEqual(result.summary, { created: 6, updated: 0, deleted: 0, unchanged: 0, failed: 0, skipped: 0 });
    assert.equal(events.filter((e) => e.type === "start").length, 6);
    assert.ok(result.results.every((r) => typeof r.id === "string"));
  });

  it("one failing service does not stop the others; a re-run converges", async () => {
    const plan = await planFor(desired(6, "b"));
    assert.equal(plan.summary.update, 6);
    // Delete one service behind meshdeploy's back: its PUT will fail with 404.
    const t = h.target();
    const victim = (await t.listServices("dev")).find((s) => s.metadata.name === "acme-s2")!;
    await t.deleteService("dev", victim.id);
    const result = await applyPlan(t, plan, { concurrency: 2, pollIntervalMs: 25 });
    assert.deepEqual(result.summary, { created: 0, updated: 5, deleted: 0, unchanged: 0, failed: 1, skipped: 0 });
    const failed = result.results.find((r) => r.outcome === "failed")!;
    assert.equal(failed.service.name, "acme-s2");
    assert.match(failed.error?.message ?? "", /PUT .*→ 404/);
    const again = await planFor(desired(6, "b"));
    assert.deepEqual(again.summary, { create: 1, update: 0, delete: 0, noop: 5 });
    await applyPlan(t, again, { concurrency: 2, pollIntervalMs: 25 });
    assert.deepEqual((await planFor(desired(6, "b"))).summary, { create: 0, update: 0, delete: 0, noop: 6 });
  });

  it("a step failing after the spec write reports what was written (created, with its id), not 'not created'", async () => {
    const web = service({ index: 0, name: "acme-routed", tag: "acme/routed:1", image: "acme/routed:1", domain: "routed.example.test", ports: [{ num: 8000, type: "http", liveness: null, published: true }] });
    const plan = await planFor([web]);
    assert.deepEqual(plan.services[0]?.routes.map((r) => r.type), ["create"]);
    // Between plan and apply another room takes the domain: the route step fails after the POST.
    await h.target().createRoute({ domain: "routed.example.test", room_name: "elsewhere", port: "80", annotations: {} });
    const result = await applyPlan(h.target(), plan, { concurrency: 1, wait: false });
    const [failed] = result.results;
    assert.equal(failed?.outcome, "failed");
    assert.equal(failed?.written, "created");
    assert.match(failed?.error?.message ?? "", /already routes to room elsewhere/);
    const live = (await h.target().listServices("dev")).find((s) => s.metadata.name === "acme-routed");
    assert.equal(failed?.id, live?.id, "the id of the service that now exists");
    await h.target().deleteService("dev", live!.id);
  });

  it("a domain another room already routes is a plan problem: read-live looks it up, nothing is written", async () => {
    await h.target().createRoute({ domain: "taken.example.test", room_name: "elsewhere", port: "80", annotations: {} });
    const web = service({ index: 0, name: "acme-taken", tag: "acme/taken:1", image: "acme/taken:1", domain: "taken.example.test", ports: [{ num: 8000, type: "http", liveness: null, published: true }] });
    const plan = await planFor([web]);
    assert.deepEqual(plan.services, []);
    assert.match(plan.problems[0]?.message ?? "", /^domain taken\.example\.test already routes to room elsewhere/);
    assert.equal((await h.target().listServices("dev")).some((s) => s.metadata.name === "acme-taken"), false);
  });

  it("an aborted apply skips what had not started and finishes what had", async () => {
    const plan = await planFor(desired(6, "c"));
    const controller = new AbortController();
    const result = await applyPlan(h.target(), plan, {
      concurrency: 1,
      pollIntervalMs: 25,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === "start") controller.abort();
      },
    });
    assert.equal(result.summary.updated, 1);
    assert.equal(result.summary.skipped, 5);
  });
});
