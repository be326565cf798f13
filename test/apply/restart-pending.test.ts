// A PUT that lands while the restart after it fails is not forgotten: the service is marked
// restart-pending, the next plan updates it again, and a healthy run clears the mark.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { applyPlan } from "../../src/apply/apply-plan.js";
import { readLive } from "../../src/read/read-live.js";
import { parseFaultSpec, withSeed } from "../../src/local/faults/fault-spec.js";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { ResolvedService } from "../../src/model/wire.js";
import { type Harness, startHarness } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";
import { service } from "../helpers/services.js";

const noSleep = { now: () => Date.now(), sleep: async () => {} };

forEachPlatform("restart after an update", (platform) => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform });
  });
  after(() => h.close());

  const planFor = async (s: ResolvedService) =>
    computePlan([s], await readLive(h.target(), [s], { owners: ["shop"], createRooms: false }), { owner: "shop", prune: false, platform: await h.target().platform() });

  it("marks a failed restart pending, and the next run restarts it", async () => {
    await applyPlan(h.target(), await planFor(service({ env: [{ name: "V", value: "1" }] })), { concurrency: 1, wait: false });
    const update = await planFor(service({ env: [{ name: "V", value: "2" }] }));
    assert.equal(update.services[0]?.restart, true);
    h.room.setFaults(withSeed(parseFaultSpec("5xx=1,scope=rpc")!, () => 1));
    const failed = await applyPlan(h.target(), update, { concurrency: 1, wait: false, clock: noSleep });
    h.room.setFaults(null);
    assert.equal(failed.summary.failed, 1);
    assert.match(failed.results[0]!.error!.message, /the spec was written but the restart failed/);
    const again = await planFor(service({ env: [{ name: "V", value: "2" }] }));
    assert.equal(again.services[0]?.type, "update");
    assert.equal(again.services[0]?.reason, "an earlier apply wrote this service but its restart failed: restarting it");
    assert.equal(again.services[0]?.drift, false);
    assert.equal((await applyPlan(h.target(), again, { concurrency: 1, wait: false })).summary.updated, 1);
    assert.equal((await planFor(service({ env: [{ name: "V", value: "2" }] }))).services[0]?.type, "noop");
  });
});
