// The sync cycle line: what a skipped head leaves deployed, even when re-planning it failed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CycleReport } from "../../src/loops/sync/sync-loop.js";
import { renderCycle } from "../../src/output/render-sync.js";
import { plain } from "../../src/output/style.js";

const head = { sha: "b".repeat(40), subject: "typo" };
const good = { sha: "a".repeat(40), subject: "add web" };
const skipped = { diagnostics: [], source: null, error: new Error(".meshdeploy.yaml does not exist in this commit"), repeated: true };

describe("render sync cycle", () => {
  it("a skipped head whose last good commit could not be re-planned still names the kept commit", () => {
    const report: CycleReport = { head, outcome: "failed", skipped, kept: good, error: new Error("room dev not found") };
    assert.equal(renderCycle(report, plain)[0], "commit bbbbbbb typo: skipped (invalid config, reported before); keeping aaaaaaa add web; failed: room dev not found");
  });

  it("without any good commit it says nothing is deployed yet", () => {
    const report: CycleReport = { head, outcome: "skipped", skipped };
    assert.equal(renderCycle(report, plain)[0], "commit bbbbbbb typo: skipped (invalid config, reported before); nothing deployed yet");
  });

  it("a commit refused for a plan problem (another owner's service) is not called an invalid config", () => {
    const conflict = Object.assign(new Error('the plan has 1 problem(s): web in room dev: managed by meshdeploy owner "a", not "b"'), { code: "E_CONFLICT" });
    const report: CycleReport = { head, outcome: "skipped", skipped: { diagnostics: [], source: null, error: conflict, repeated: false } };
    assert.match(renderCycle(report, plain)[0]!, /^commit bbbbbbb typo: plan problem, skipped \(the plan has 1 problem\(s\)/);
    assert.match(renderCycle({ ...report, skipped: { ...report.skipped!, repeated: true } }, plain)[0]!, /skipped \(plan problem, reported before\)/);
  });
});
