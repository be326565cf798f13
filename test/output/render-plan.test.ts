import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planToJson } from "../../src/output/render-plan-json.js";
import { renderPlan } from "../../src/output/render-plan.js";
import { renderPlanMarkdown } from "../../src/output/render-plan-markdown.js";
import { colour, plain } from "../../src/output/style.js";
import type { Plan } from "../../src/plan/types.js";

const plan: Plan = {
  owner: "shop",
  prune: false,
  services: [
    { type: "create", room: "dev", name: "acme-web", image: "acme/web:1", id: null, reason: "not present in room dev", drift: false, configIndex: 0, body: {}, routes: [], build: null, restart: false, changes: [{ path: "container.image", before: null, after: "acme/web:1" }] },
    { type: "update", room: "dev", name: "acme-api", image: "acme/api:2", id: "i", reason: "config changed: container.environment.DB", drift: false, configIndex: 1, body: {}, routes: [], build: null, restart: false, changes: [{ path: "container.environment.DB", before: "secret:sec_1", after: "secret:sec_2" }, { path: "container.environment.OLD", before: "x", after: null }] },
    { type: "noop", room: "dev", name: "acme-docs", image: "acme/docs:1", id: "j", reason: "up to date", drift: false, configIndex: 2, body: null, routes: [], build: null, restart: false, changes: [] },
  ],
  problems: [],
  orphans: [{ room: "dev", name: "acme-old", id: "k" }],
  summary: { create: 1, update: 1, delete: 0, noop: 1 },
};

describe("plan renderers", () => {
  it("human: a block per service with + ~ - lines, orphans and a summary", () => {
    assert.deepEqual(renderPlan(plan, plain), [
      "room dev",
      "  + acme-web  create  acme/web:1",
      "      not present in room dev",
      "      + container.image = acme/web:1",
      "  ~ acme-api  update  acme/api:2",
      "      config changed: container.environment.DB",
      "      ~ container.environment.DB: secret:sec_1 → secret:sec_2",
      "      - container.environment.OLD (was x)",
      "",
      "! 1 service owned by shop no longer declared: acme-old (room dev)",
      "  kept because prune is off; run with --prune (or set `prune: true`) to delete them",
      "",
      "Plan: 1 to create, 1 to update, 0 to delete, 1 unchanged.",
    ]);
  });

  it("human: a value with a newline or an escape sequence stays on one line, quoted", () => {
    const multiline: Plan = {
      ...plan,
      services: [{ ...plan.services[0]!, changes: [{ path: "container.environment.LOG", before: "a\u001b[31mred", after: "booting\nfatal: db unreachable" }] }],
      orphans: [],
    };
    const lines = renderPlan(multiline, plain);
    assert.ok(lines.includes('      ~ container.environment.LOG: "a\\u001b[31mred" → "booting\\nfatal: db unreachable"'), lines.join("\n"));
    assert.ok(lines.every((line) => !/[\n\u001b]/.test(line)));
  });

  it("human: the orphans' hint names the switches of where the plan is shown (plan/apply keep the config's)", () => {
    const hint = (lines: string[]): string | undefined => lines.find((l) => l.startsWith("  kept because"));
    assert.equal(hint(renderPlan(plan, plain, { pruneSwitch: "flag-or-config" })), "  kept because prune is off; run with --prune (or set `prune: true`) to delete them");
    assert.equal(hint(renderPlan(plan, plain, { pruneSwitch: "watch-flag" })), "  kept because prune is off in watch (it does not follow the config's `prune:`); run watch with --prune to delete them");
  });

  it("notes (what the server will do unasked) follow the reason, in the human form and the JSON", () => {
    const noted: Plan = { ...plan, services: [{ ...plan.services[0]!, notes: ["no `template:` declared: …"] }], orphans: [] };
    assert.deepEqual(renderPlan(noted, plain).slice(1, 4), ["  + acme-web  create  acme/web:1", "      not present in room dev", "      note: no `template:` declared: …"]);
    assert.deepEqual((planToJson(noted) as { services: { notes?: string[] }[] }).services[0]!.notes, ["no `template:` declared: …"]);
  });

  it("colour only when asked for", () => {
    assert.ok(renderPlan(plan, colour).some((l) => l.includes("\u001b[")));
    assert.ok(renderPlan(plan, plain).every((l) => !l.includes("\u001b[")));
  });

  it("json: formatVersion 1 with the DESIGN.md fields", () => {
    const json = planToJson(plan) as { formatVersion: number; services: Record<string, unknown>[]; summary: unknown };
    assert.equal(json.formatVersion, 1);
    assert.deepEqual(Object.keys(json.services[0]!), ["name", "room", "action", "image", "reason", "changes", "drift", "attention"]);
    assert.deepEqual(json.summary, { create: 1, update: 1, delete: 0, noop: 1 });
    assert.equal(JSON.stringify(json).includes("body"), false);
  });

  it("warnings: shown with their service (an up-to-date one too), located relative to cwd; in the JSON and the Markdown", () => {
    const warning = { message: "`tag: myorg/api` names no tag, so it means `latest`", hint: "pin a version", location: { file: "/w/.meshdeploy.yaml", line: 5, column: 10 } };
    const docs = { ...plan.services[2]!, warnings: [warning] };
    const warned: Plan = { ...plan, services: [plan.services[0]!, docs], orphans: [], summary: { create: 1, update: 0, delete: 0, noop: 1 } };
    const lines = renderPlan(warned, plain, { cwd: "/w" });
    assert.deepEqual(lines.slice(4, 8), [
      "  = acme-docs  up to date",
      "      ! warning: `tag: myorg/api` names no tag, so it means `latest`",
      "        --> .meshdeploy.yaml:5:10",
      "        hint: pin a version",
    ]);
    assert.deepEqual((planToJson(warned).services as { warnings?: unknown }[])[1]?.warnings, [warning]);
    assert.equal((planToJson(warned).services as { warnings?: unknown }[])[0]?.warnings, undefined);
    assert.equal(renderPlanMarkdown(warned).includes("> [!WARNING]"), true);
    assert.ok(renderPlanMarkdown(warned).some((l) => l.startsWith("> `acme-docs` in room dev: \\`tag: myorg/api\\` names no tag")), renderPlanMarkdown(warned).join("\n"));
  });
});
