// Apply results → lines (defect 13 of the new-user audit): a failed build's log is printed once,
// footers are only said when true, no re-run hint when a re-run cannot help, and an interrupt
// before anything started says so.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApplyResult, ServiceResult } from "../../src/apply/apply-plan.js";
import { MeshdeployError } from "../../src/errors.js";
import { renderApplySummary, resultLine } from "../../src/output/render-apply.js";
import { plain } from "../../src/output/style.js";
import type { PlannedService } from "../../src/plan/types.js";

const svc = (name: string, type: PlannedService["type"] = "create"): PlannedService => ({
  type,
  room: "dev",
  name,
  image: `registry.meshagent.com/local/${name}:1`,
  id: null,
  reason: "not present in room dev",
  drift: false,
  changes: [],
  body: null,
  routes: [],
  build: null,
  restart: false,
  configIndex: 0,
});
const buildError = new MeshdeployError("E_BUILD", ["building registry.meshagent.com/local/web:1 failed: the build exited with status 1", "    | step 1", "    | ERROR: boom"].join("\n"), {
  hint: "fix the Dockerfile or the context and apply again; other services were not affected",
});
function result(results: ServiceResult[]): ApplyResult {
  const count = (o: ServiceResult["outcome"]): number => results.filter((r) => r.outcome === o).length;
  return { results, summary: { created: count("created"), updated: count("updated"), deleted: count("deleted"), unchanged: count("unchanged"), failed: count("failed"), skipped: count("skipped") } } as ApplyResult;
}

describe("apply summary and result lines", () => {
  it("a failed build: its streamed log is not repeated, and no 'everything else' or re-run footer when nothing else was applied", () => {
    const failed: ServiceResult = { service: svc("local-web"), outcome: "failed", id: null, error: buildError };
    assert.equal(resultLine(failed, plain), "✗ local-web create failed: building registry.meshagent.com/local/web:1 failed: the build exited with status 1 (its log is above)");
    const lines = renderApplySummary(result([failed]), plain);
    assert.deepEqual(lines, [
      "Apply finished with errors: 0 created, 0 updated, 0 deleted, 0 unchanged, 1 failed.",
      "  ✗ local-web (room dev): create failed: building registry.meshagent.com/local/web:1 failed: the build exited with status 1",
      "    hint: fix the Dockerfile or the context and apply again; other services were not affected",
    ]);
    assert.equal(lines.join("\n").includes("| ERROR: boom"), false);
  });

  it("'Everything else was applied' only when something else was, and the re-run hint only for a retriable failure", () => {
    const web: ServiceResult = { service: svc("local-web"), outcome: "failed", id: null, error: buildError };
    const api: ServiceResult = { service: svc("local-api"), outcome: "created", id: "i1", error: null };
    assert.equal(renderApplySummary(result([web, api]), plain).at(-1), "Everything else was applied.");
    const flaky: ServiceResult = { service: svc("local-db"), outcome: "failed", id: null, error: new MeshdeployError("E_API_NETWORK", "connection reset") };
    assert.equal(renderApplySummary(result([flaky, api]), plain).at(-1), "Everything else was applied; re-run apply to retry what failed.");
    assert.equal(renderApplySummary(result([flaky]), plain).at(-1), "Nothing else was applied; re-run apply to retry what failed.");
  });

  it("an interrupt before anything started says so, with no failure footer", () => {
    const skipped = (name: string): ServiceResult => ({ service: svc(name), outcome: "skipped", id: null, error: null });
    assert.deepEqual(renderApplySummary(result([skipped("a"), skipped("b"), skipped("c")]), plain), ["Apply interrupted before anything started: nothing was changed (3 skipped)."]);
  });

  it("a crashed container's log tail is shown once: in its line, not again in the summary", () => {
    const crash = new MeshdeployError("E_WAIT", "local-api exited before it was live: exit code 3, 6 restarts (state restarting)\n    | panic", { hint: "h" });
    const failed: ServiceResult = { service: svc("local-api", "update"), outcome: "failed", id: "i", error: crash, written: "updated" };
    assert.match(resultLine(failed, plain), /\n {4}\| panic$/);
    assert.equal(renderApplySummary(result([failed]), plain).join("\n").includes("| panic"), false);
  });
});
