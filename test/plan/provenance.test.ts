// Provenance in the planner: written on every create and update, never compared, cleared when
// the config is no longer in git, and never the reason for an update.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { Provenance } from "../../src/model/provenance.js";
import type { LiveRoom, PlannedService } from "../../src/plan/types.js";
import { deepFreeze, prng, service } from "../helpers/services.js";
import { applyToRooms } from "./fake-room.js";

const A: Provenance = { gitSha: "a".repeat(40), gitDirty: false, source: "https://github.com/acme/shop.git#.meshdeploy.yaml" };
const B: Provenance = { gitSha: "b".repeat(40), gitDirty: true, source: "https://github.com/acme/shop.git#.meshdeploy.yaml" };

function annotations(s: PlannedService | undefined): Record<string, string> {
  return (s?.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations;
}

describe("provenance", () => {
  it("is written on creates and recorded in the plan", () => {
    const plan = computePlan([service()], {}, { owner: "shop", prune: false, provenance: A });
    assert.deepEqual(plan.provenance, A);
    const written = annotations(plan.services[0]);
    assert.equal(written["meshdeploy.git-sha"], A.gitSha);
    assert.equal(written["meshdeploy.git-dirty"], "false");
    assert.equal(written["meshdeploy.source"], A.source);
    assert.equal(plan.services[0]?.changes.some((c) => c.path.includes("git-sha") || c.path.includes("meshdeploy.source")), false);
  });

  it("a new commit that changes nothing for a service does not rewrite it", () => {
    const live = applyToRooms(computePlan([service()], {}, { owner: "shop", prune: false, provenance: A }), {});
    const again = computePlan([service()], deepFreeze(live), { owner: "shop", prune: false, provenance: B });
    assert.deepEqual(again.summary, { create: 0, update: 0, delete: 0, noop: 1 });
    assert.equal(again.services[0]?.body, null);
  });

  it("rides along with an update that happens anyway, replacing the old commit", () => {
    const live = applyToRooms(computePlan([service()], {}, { owner: "shop", prune: false, provenance: A }), {});
    const edited = service({ env: [{ name: "APP_ENV", value: "prod" }] });
    const plan = computePlan([edited], live, { owner: "shop", prune: false, provenance: B });
    assert.deepEqual(plan.services[0]?.changes, [{ path: "container.environment.APP_ENV", before: null, after: "prod" }]);
    assert.equal(annotations(plan.services[0])["meshdeploy.git-sha"], B.gitSha);
    assert.equal(annotations(plan.services[0])["meshdeploy.git-dirty"], "true");
  });

  it("an update made outside git clears provenance that would name the wrong commit", () => {
    const live: Record<string, LiveRoom> = applyToRooms(computePlan([service()], {}, { owner: "shop", prune: false, provenance: A }), {});
    const plan = computePlan([service({ image: "acme/web:2" })], live, { owner: "shop", prune: false });
    const written = annotations(plan.services[0]);
    assert.equal(plan.provenance, undefined);
    assert.equal("meshdeploy.git-sha" in written, false);
    assert.equal("meshdeploy.source" in written, false);
    assert.equal(written["meshdeploy.owner"], "shop");
  });

  it("property: provenance never changes which services are written (100 seeds)", () => {
    for (let seed = 1; seed <= 100; seed++) {
      const random = prng(seed);
      const desired = [service({ env: [{ name: "N", value: String(Math.floor(random() * 3)) }] })];
      const live = applyToRooms(computePlan([service({ env: [{ name: "N", value: String(Math.floor(random() * 3)) }] })], {}, { owner: "shop", prune: false, provenance: A }), {});
      const withB = computePlan(desired, live, { owner: "shop", prune: false, provenance: B });
      const without = computePlan(desired, live, { owner: "shop", prune: false });
      assert.deepEqual(withB.services.map((s) => [s.type, s.changes]), without.services.map((s) => [s.type, s.changes]), `seed ${seed}`);
    }
  });
});
