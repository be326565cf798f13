// The planner under targeting: the desired side is the targeted subset, so what the config still
// declares outside it must be neither deleted (whatever prune says) nor listed as an orphan, and
// the plan records its targets.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveRoom } from "../../src/plan/types.js";
import { service } from "../helpers/services.js";
import { applyToRooms } from "./fake-room.js";

const web = service();
const old = service({ index: 1, name: "acme-old", tag: "acme/old:1", image: "acme/old:1" });

function liveWithOrphan(): Record<string, LiveRoom> {
  // acme-web and acme-old, both owned by shop; the config now declares acme-web only.
  return applyToRooms(computePlan([web, old], {}, { owner: "shop", prune: false }), {});
}

describe("plan/compute-plan under targeting", () => {
  it("neither deletes nor lists as orphans what the targets leave out, even with prune", () => {
    const live = liveWithOrphan();
    const targets = { services: ["acme-web"], rooms: [], exclude: [] };
    for (const prune of [false, true]) {
      const plan = computePlan([web], live, { owner: "shop", prune, targets });
      assert.deepEqual(plan.summary, { create: 0, update: 0, delete: 0, noop: 1 });
      assert.deepEqual(plan.orphans, []);
      assert.equal(plan.prune, false);
      assert.deepEqual(plan.targets, targets);
    }
    // Without targets the same inputs list (or delete) the orphan: the test above can fail.
    assert.deepEqual(computePlan([web], live, { owner: "shop", prune: false }).orphans.map((o) => o.name), ["acme-old"]);
    assert.equal(computePlan([web], live, { owner: "shop", prune: true }).summary.delete, 1);
  });

  it("records the targets normalised (sorted, once) and leaves them out when there are none", () => {
    const plan = computePlan([web], {}, { owner: "shop", prune: false, targets: { services: ["web", "acme-web", "web"], rooms: ["dev"], exclude: [] } });
    assert.deepEqual(plan.targets, { services: ["acme-web", "web"], rooms: ["dev"], exclude: [] });
    assert.equal("targets" in computePlan([web], {}, { owner: "shop", prune: false, targets: { services: [], rooms: [], exclude: [] } }), false);
  });
});
