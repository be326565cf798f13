// Deletes and access-widening changes are marked in every plan renderer (issue 12, item 5):
// the human lines, the Markdown comment and the JSON; ordinary changes are not.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attentionOf } from "../../src/plan/attention.js";
import type { Plan, PlannedService } from "../../src/plan/types.js";
import { planToJson } from "../../src/output/render-plan-json.js";
import { renderPlanMarkdown } from "../../src/output/render-plan-markdown.js";
import { renderPlan } from "../../src/output/render-plan.js";
import { plain } from "../../src/output/style.js";

function planned(overrides: Partial<PlannedService>): PlannedService {
  return { type: "update", room: "dev", name: "acme-x", image: "acme/x:1", id: "1", reason: "config changed", drift: false, changes: [], body: null, routes: [], build: null, restart: true, configIndex: 0, ...overrides };
}

const services = [
  planned({ type: "delete", name: "acme-old", reason: "owned by shop and no longer declared (prune)" }),
  planned({ name: "acme-web", changes: [{ path: "ports[8000].public", before: null, after: "true" }] }),
  planned({ type: "create", name: "acme-bot", id: null, changes: [{ path: "container.environment.MESHAGENT_TOKEN", before: null, after: "token:full" }] }),
  planned({ name: "acme-calm", changes: [{ path: "container.environment.A", before: "1", after: "2" }] }),
  planned({ name: "acme-narrower", changes: [{ path: "ports[8000].public", before: "true", after: null }, { path: "container.environment.MESHAGENT_TOKEN", before: "token:full", after: "token:agentDefault" }] }),
];
const PLAN: Plan = { owner: "shop", prune: true, services, problems: [], orphans: [], summary: { create: 1, update: 3, delete: 1, noop: 0 } };

describe("attention", () => {
  it("deletes, a port made public and a full token; not ordinary or narrowing changes", () => {
    assert.deepEqual(services.map(attentionOf), [["delete"], ["public"], ["full-token"], [], []]);
  });

  it("human: a marked line under each such service and a summary above the plan line", () => {
    const lines = renderPlan(PLAN, plain);
    const after = (name: string): string | undefined => lines[lines.findIndex((l) => l.includes(` ${name}  `)) + 1];
    assert.equal(after("acme-old"), "      ! deletes this service");
    assert.match(after("acme-web")!, /^ {6}! widens access: a published port becomes public/);
    assert.match(after("acme-bot")!, /^ {6}! widens access: the service gets a full-access token/);
    assert.doesNotMatch(after("acme-calm")!, /!/);
    assert.deepEqual(lines.slice(-3), [
      "! 1 to delete: acme-old (room dev)",
      "! 2 widen access: acme-web (public), acme-bot (full token)",
      "Plan: 1 to create, 3 to update, 1 to delete, 0 unchanged.",
    ]);
  });

  it("markdown: a caution for deletes, a warning for widened access, marked rows", () => {
    const md = renderPlanMarkdown(PLAN).join("\n");
    assert.match(md, /> \[!CAUTION\]\n> \*\*1 to delete:\*\* `acme-old` \(room dev\)/);
    assert.match(md, /> \[!WARNING\]\n> \*\*2 widen access:\*\* `acme-web` \(public\), `acme-bot` \(full token\)/);
    assert.match(md, /\| ⚠️ \*\*delete\*\* \| `acme-old` \|/);
    assert.match(md, /\| \*\*update\*\* \| `acme-calm` \|/);
  });

  it("json: each service's attention list", () => {
    const json = planToJson(PLAN) as { services: { name: string; attention: string[] }[] };
    assert.deepEqual(json.services.map((s) => [s.name, s.attention]), [["acme-old", ["delete"]], ["acme-web", ["public"]], ["acme-bot", ["full-token"]], ["acme-calm", []], ["acme-narrower", []]]);
  });
});
