// Markdown plan and apply renderers, and GitHub annotation lines: exact output, and escaping
// that survives hostile values (pipes, backticks, HTML, newlines).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApplyResult } from "../../src/apply/apply-plan.js";
import { githubAnnotation } from "../../src/output/github-annotations.js";
import { code, text } from "../../src/output/markdown.js";
import { renderApplyMarkdown } from "../../src/output/render-apply-markdown.js";
import { renderPlanMarkdown } from "../../src/output/render-plan-markdown.js";
import type { Plan, PlannedService } from "../../src/plan/types.js";

function planned(over: Partial<PlannedService>): PlannedService {
  return { type: "noop", room: "dev", name: "acme-web", image: "acme/web:1", id: "id1", reason: "up to date", drift: false, changes: [], body: null, routes: [], build: null, restart: false, configIndex: 0, ...over };
}

const PLAN: Plan = {
  owner: "shop",
  prune: false,
  provenance: { gitSha: "0123456789abcdef0123456789abcdef01234567", gitDirty: true, source: "x" },
  services: [
    planned({ type: "update", reason: "config changed: container.environment.APP_ENV", changes: [{ path: "container.environment.APP_ENV", before: "dev", after: "prod" }] }),
    planned({ type: "create", name: "acme-api", image: "acme/api:2", id: null, reason: "not present in room dev", changes: [{ path: "container.environment.DB", before: null, after: "secret:sec_1" }] }),
    planned({ name: "acme-docs", room: "docs", image: "acme/docs:1" }),
  ],
  problems: [],
  orphans: [{ room: "dev", name: "acme-old", id: "o1" }],
  summary: { create: 1, update: 1, delete: 0, noop: 1 },
};

describe("renderPlanMarkdown", () => {
  it("renders a room of 20,000 changed services (no call-stack overflow from spreading them)", () => {
    const services = Array.from({ length: 20_000 }, (_, i) =>
      planned({ type: "create", name: `svc-${i}`, id: null, reason: "not present in room dev", changes: Array.from({ length: 5 }, (_, k) => ({ path: `container.environment.V${k}`, before: null, after: `v${i}` })) }),
    );
    const lines = renderPlanMarkdown({ ...PLAN, services, orphans: [], summary: { create: services.length, update: 0, delete: 0, noop: 0 } });
    assert.ok(lines.length > 20_000 * 5, `${lines.length} lines`);
  });

  it("renders a summary, a table per room and collapsible field diffs", () => {
    assert.deepEqual(renderPlanMarkdown(PLAN, { context: "https://api.meshagent.com (project p)" }), [
      "### meshdeploy plan",
      "",
      "**Plan: 1 to create, 1 to update, 0 to delete, 1 unchanged.**",
      "",
      "https://api.meshagent.com (project p) · owner `shop` · commit `0123456` (uncommitted changes)",
      "",
      "#### Room `dev`",
      "",
      "| Action | Service | Image | Why |",
      "|---|---|---|---|",
      "| **update** | `acme-web` | `acme/web:1` | config changed: container.environment.APP\\_ENV |",
      "| **create** | `acme-api` | `acme/api:2` | not present in room dev |",
      "",
      "<details>",
      "<summary><code>acme-web</code> (room dev): update, 1 change</summary>",
      "",
      "| Field | Before | After |",
      "|---|---|---|",
      "| `container.environment.APP_ENV` | `dev` | `prod` |",
      "",
      "</details>",
      "",
      "<details>",
      "<summary><code>acme-api</code> (room dev): create, 1 change</summary>",
      "",
      "| Field | Before | After |",
      "|---|---|---|",
      "| `container.environment.DB` | _(none)_ | `secret:sec_1` |",
      "",
      "</details>",
      "",
      "#### Room `docs`",
      "",
      "| Action | Service | Image | Why |",
      "|---|---|---|---|",
      "| no change | `acme-docs` | `acme/docs:1` | up to date |",
      "",
      "> [!WARNING]",
      "> 1 service owned by `shop` no longer declared, kept because prune is off: `acme-old` (room dev)",
    ]);
  });

  it("says so when nothing changes, and turns problems into alerts", () => {
    const quiet: Plan = { ...PLAN, provenance: undefined, services: [planned({})], orphans: [], summary: { create: 0, update: 0, delete: 0, noop: 1 } } as Plan;
    delete (quiet as { provenance?: unknown }).provenance;
    const lines = renderPlanMarkdown(quiet);
    assert.equal(lines[2], "**No changes. 1 service up to date.**");
    assert.equal(lines[4], "owner `shop`");
    const broken = renderPlanMarkdown({ ...quiet, problems: [{ room: "dev", name: "acme-x", message: "owned by <b>other</b>", hint: "set `owner: other`" }] });
    assert.equal(broken[2], "**Plan has 1 problem; nothing can be applied until it is fixed.**");
    assert.deepEqual(broken.slice(-4), ["> [!CAUTION]", "> `acme-x` in room dev: owned by &lt;b&gt;other&lt;/b&gt;", ">", "> hint: set \\`owner: other\\`"]);
  });

  it("keeps table cells intact whatever the values hold", () => {
    const hostile = renderPlanMarkdown({
      ...PLAN,
      orphans: [],
      services: [planned({ type: "update", name: "a|b", reason: "x | <script>", changes: [{ path: "container.environment.X", before: "a`b|c", after: "" }] })],
    });
    assert.ok(hostile.includes("| **update** | `a\\|b` | `acme/web:1` | x \\| &lt;script&gt; |"), hostile.join("\n"));
    assert.ok(hostile.includes('| `container.environment.X` | ``a`b\\|c`` | `""` |'), hostile.join("\n"));
    assert.ok(hostile.includes("<summary><code>a|b</code> (room dev): update, 1 change</summary>"));
    const cells = (line: string): number => line.replace(/\\\|/g, "").split("|").length;
    let header = 0;
    for (const line of hostile) {
      if (line.startsWith("| Action") || line.startsWith("| Field")) header = cells(line);
      else if (line.startsWith("|")) assert.equal(cells(line), header, line);
    }
  });
});

describe("markdown pieces", () => {
  it("code spans pick a fence longer than any backtick run", () => {
    assert.equal(code("a"), "`a`");
    assert.equal(code("``x"), "``` ``x ```");
    assert.equal(code(" padded"), '`" padded"`');
    assert.equal(code("two\nlines"), '`"two\\nlines"`', "control characters are escaped, as in the terminal");
    assert.equal(code("esc\u001b[0m"), '`"esc\\u001b[0m"`');
  });
  it("text neutralises markdown and HTML", () => {
    assert.equal(text("*a* _b_ [c](d) <e> & #f"), "\\*a\\* \\_b\\_ \\[c\\](d) &lt;e&gt; &amp; \\#f");
  });
});

describe("renderApplyMarkdown", () => {
  it("lists what happened to each service that was not unchanged", () => {
    const result: ApplyResult = {
      results: [
        { service: planned({ type: "create", name: "acme-api" }), outcome: "created", id: "new1", error: null },
        { service: planned({ type: "update" }), outcome: "failed", id: "id1", error: new Error("crash | loop") },
        { service: planned({ name: "acme-docs" }), outcome: "unchanged", id: "id3", error: null },
      ],
      summary: { created: 1, updated: 0, deleted: 0, unchanged: 1, failed: 1, skipped: 0 },
      health: [],
    };
    assert.deepEqual(renderApplyMarkdown(result), [
      "### meshdeploy apply",
      "",
      "**Apply finished with errors: 1 created, 0 updated, 0 deleted, 1 unchanged, 1 failed.**",
      "",
      "| Service | Room | Outcome | Detail |",
      "|---|---|---|---|",
      "| `acme-api` | `dev` | created | id `new1` |",
      "| `acme-web` | `dev` | **failed** | crash \\| loop |",
    ]);
  });
});

describe("githubAnnotation", () => {
  it("is a workflow command with the file relative to the workspace and escaped values", () => {
    const diagnostic = { message: "undefined variable `TAG`, 100% sure", location: { file: "/ws/deploy/a,b.yaml", line: 4, column: 14 }, hint: "set TAG\nnow", rule: "interpolation" };
    assert.equal(
      githubAnnotation(diagnostic, "/ws"),
      "::error file=deploy/a%2Cb.yaml,line=4,col=14,title=meshdeploy%3A interpolation::undefined variable `TAG`, 100%25 sure%0Ahint: set TAG%0Anow",
    );
    assert.equal(githubAnnotation({ ...diagnostic, hint: undefined, location: { file: "rel.yaml", line: 1, column: 1 } } as never, "/ws"), "::error file=rel.yaml,line=1,col=1,title=meshdeploy%3A interpolation::undefined variable `TAG`, 100%25 sure");
  });
});
