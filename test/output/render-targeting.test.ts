// A targeted plan says so first, in every rendering; an untargeted one says nothing about it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planToJson } from "../../src/output/render-plan-json.js";
import { renderPlanMarkdown } from "../../src/output/render-plan-markdown.js";
import { renderPlan } from "../../src/output/render-plan.js";
import { plain } from "../../src/output/style.js";
import type { Plan } from "../../src/plan/types.js";

const base: Plan = { owner: "shop", prune: false, services: [], problems: [], orphans: [], summary: { create: 0, update: 0, delete: 0, noop: 2 } };
const targeted: Plan = { ...base, targets: { services: ["api"], rooms: ["staging"], exclude: [] } };
const NOTE = "targeting: --service api --room staging (only these services; prune and orphan listing off; not for routine use)";

describe("output: targeting", () => {
  it("human: the first line", () => {
    assert.deepEqual(renderPlan(targeted, plain).slice(0, 2), [`! ${NOTE}`, ""]);
    assert.equal(renderPlan(base, plain).some((l) => l.includes("targeting")), false);
  });

  it("markdown: a note under the summary", () => {
    const lines = renderPlanMarkdown(targeted);
    const at = lines.indexOf("> [!NOTE]");
    assert.ok(at > 0, lines.join("\n"));
    assert.equal(lines[at + 1], `> ${NOTE}`);
    assert.equal(renderPlanMarkdown(base).includes("> [!NOTE]"), false);
  });

  it("json: targets, only when targeted", () => {
    assert.deepEqual(planToJson(targeted)["targets"], { services: ["api"], rooms: ["staging"], exclude: [] });
    assert.equal("targets" in planToJson(base), false);
    assert.equal(planToJson(targeted)["formatVersion"], 1);
  });
});
