// The sync cycle line: what a skipped head leaves deployed, even when re-planning it failed.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CycleReport } from "../../src/loops/sync/sync-loop.js";
import { renderCycle } from "../../src/output/render-sync.js";
import { plain } from "../../src/output/style.js";

const head = { sha: "b".repeat(40), subject: "typo" };
const good = { sha: "a".repeat(40), subject: "add web" };
const skipped = { diagnostics: [], source: null, error: new Error(".meshdeploy.yaml does not exist in this commit"), repeated: true, why: "invalid-config" as const };

describe("render sync cycle", () => {
  it("a skipped head whose last good commit could not be re-planned still names the kept commit", () => {
    const report: CycleReport = { head, outcome: "failed", skipped, kept: good, error: new Error("room dev not found") };
    assert.equal(renderCycle(report, plain)[0], "commit bbbbbbb typo: skipped (invalid config, reported before); keeping aaaaaaa add web; failed: room dev not found");
  });

  it("without any good commit it says nothing is deployed yet", () => {
    const report: CycleReport = { head, outcome: "skipped", skipped };
    assert.equal(renderCycle(report, plain)[0], "commit bbbbbbb typo: skipped (invalid config, reported before); nothing deployed yet");
  });

  it("an ownership conflict is called one, never an invalid config", () => {
    const conflict = { ...skipped, repeated: false, why: "ownership-conflict" as const, error: new Error('the plan has 1 problem(s): acme-site in room dev: ownership conflict: …') };
    assert.equal(renderCycle({ head, outcome: "skipped", skipped: conflict }, plain)[0], "commit bbbbbbb typo: ownership conflict, skipped (the plan has 1 problem(s): acme-site in room dev: ownership conflict: …); nothing deployed yet");
    assert.equal(renderCycle({ head, outcome: "skipped", skipped: { ...conflict, repeated: true } }, plain)[0], "commit bbbbbbb typo: skipped (ownership conflict, reported before); nothing deployed yet");
  });
});
