// Superseded builds: recognised from apply's refusal, retried, then given up on after a streak.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Outcome, ServiceResult } from "../../../src/apply/apply-plan.js";
import { MeshdeployError } from "../../../src/errors.js";
import type { PlannedService } from "../../../src/plan/types.js";
import { countSuperseded, isSuperseded, MAX_SUPERSEDED } from "../../../src/loops/watch/superseded.js";

const service = { room: "dev", name: "local-web" } as PlannedService;
const result = (outcome: Outcome, error: Error | null = null): ServiceResult => ({ service, outcome, id: null, error });
const refused = (): ServiceResult => result("failed", new MeshdeployError("E_BUILD", "the build context of local-web changed after the plan was made"));

describe("superseded builds", () => {
  it("only apply's changed-after-the-plan refusal counts", () => {
    assert.equal(isSuperseded(refused()), true);
    assert.equal(isSuperseded(result("failed", new MeshdeployError("E_BUILD", "building x failed: the build exited with status 1"))), false);
    assert.equal(isSuperseded(result("failed", new Error("the build context of local-web changed after the plan was made"))), false);
    assert.equal(isSuperseded(result("updated")), false);
  });

  it(`retries ${MAX_SUPERSEDED - 1} times in a row, then gives up; a deploy resets the streak`, () => {
    const counts = new Map<string, number>();
    const streak = Array.from({ length: MAX_SUPERSEDED + 1 }, () => countSuperseded(counts, [refused()]));
    assert.deepEqual(
      streak.map((s) => [s.retry.length, s.stuck.length]),
      [...Array.from({ length: MAX_SUPERSEDED - 1 }, () => [1, 0]), [0, 1], [0, 1]],
    );
    countSuperseded(counts, [result("unchanged")]);
    assert.equal(countSuperseded(counts, [refused()]).stuck.length, 1, "an unchanged cycle does not reset");
    countSuperseded(counts, [result("updated")]);
    assert.deepEqual(countSuperseded(counts, [refused()]).retry.length, 1, "a deploy resets");
  });
});
