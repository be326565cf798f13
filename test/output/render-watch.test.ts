// Watch reports → lines: exact text for the cycle lines users read.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServiceResult } from "../../src/apply/apply-plan.js";
import { ConfigError, MeshdeployError } from "../../src/errors.js";
import { plain } from "../../src/output/style.js";
import type { Plan, PlannedService } from "../../src/plan/types.js";
import type { CycleOutcome } from "../../src/loops/watch/cycle.js";
import { duration, fileList, renderReport } from "../../src/output/render-watch.js";
import type { WatchReport } from "../../src/loops/watch/session.js";

const opts = { style: plain, cwd: "/p" };
const svc = (name: string, type: PlannedService["type"] = "update"): PlannedService => ({
  type,
  room: "dev",
  name,
  image: `registry.meshagent.com/local/${name}:1`,
  id: `id-${name}`,
  reason: "context changed: app.py",
  drift: false,
  changes: [],
  body: null,
  routes: [],
  build: { context: `/p/${name}`, dockerfile: null, hash: "h" },
  restart: true,
  configIndex: 0,
});
const plan = (services: PlannedService[]): Plan => ({
  owner: "o",
  prune: false,
  services,
  problems: [],
  orphans: [],
  summary: {
    create: services.filter((s) => s.type === "create").length,
    update: services.filter((s) => s.type === "update").length,
    delete: 0,
    noop: services.filter((s) => s.type === "noop").length,
  },
});
const outcome = (over: Partial<CycleOutcome>): CycleOutcome => ({ desired: {} as CycleOutcome["desired"], configError: null, error: null, plan: null, result: null, superseded: [], ...over });
const end = (o: CycleOutcome, durationMs = 1234): WatchReport => ({ type: "cycleEnd", cycle: 4, trigger: null, outcome: o, durationMs, retrying: false, stuck: [] });
const superseded = (name: string): ServiceResult => ({ service: svc(name), outcome: "failed", id: null, error: new MeshdeployError("E_BUILD", `the build context of ${name} changed after the plan was made`) });

describe("render watch reports", () => {
  it("names the first few triggering files, relative to cwd, and counts the rest", () => {
    const files = ["/p/web/a.py", "/p/web/b.py", "/p/web/c.py", "/p/web/d.py", "/p/web/e.py"];
    assert.equal(fileList(files, "/p"), "web/a.py, web/b.py, web/c.py (+2 more)");
    assert.deepEqual(renderReport({ type: "cycleStart", cycle: 3, trigger: { config: true, services: ["web:1"], files: ["/p/.meshdeploy.yaml", "/p/web/static/", "/elsewhere/x"] } }, opts), [
      "",
      "▶ cycle 3 · .meshdeploy.yaml, web/static/, /elsewhere/x → config, web:1",
    ]);
    assert.deepEqual(renderReport({ type: "cycleStart", cycle: 1, trigger: null }, opts), ["", "▶ cycle 1 · full reconcile"]);
  });

  it("closes a cycle with what it did and how long it took", () => {
    const p = plan([svc("local-web"), svc("local-api", "noop")]);
    const result = {
      results: [
        { service: p.services[0]!, outcome: "updated" as const, id: "1", error: null },
        { service: p.services[1]!, outcome: "unchanged" as const, id: "2", error: null },
      ],
      summary: { created: 0, updated: 1, deleted: 0, unchanged: 1, failed: 0, skipped: 0 },
      health: [],
    };
    assert.deepEqual(renderReport(end(outcome({ plan: p, result })), opts), ["✓ cycle 4 · updated local-web (1.2 s)"]);
    assert.deepEqual(renderReport(end(outcome({ plan: plan([svc("local-web", "noop")]) }), 45), opts), ["✓ cycle 4 · no changes (45 ms)"]);
  });

  it("a superseded build is not an error line; a real failure is, with its hint", () => {
    const s = superseded("local-web");
    const finish: WatchReport = { type: "applyEvent", cycle: 4, event: { type: "finish", result: s } };
    assert.deepEqual(renderReport(finish, opts), ["↻ local-web: its context changed during the build; the next cycle deploys the newer files"]);
    const failed: ServiceResult = { service: svc("local-api"), outcome: "failed", id: null, error: new MeshdeployError("E_BUILD", "building failed", { hint: "fix the Dockerfile" }) };
    const result = { results: [s, failed], summary: { created: 0, updated: 0, deleted: 0, unchanged: 0, failed: 2, skipped: 0 }, health: [] };
    assert.deepEqual(renderReport(end(outcome({ plan: plan([s.service, failed.service]), result, superseded: [s] })), opts), [
      "✗ cycle 4 · nothing deployed, 1 superseded, 1 failed (1.2 s); the next change retries",
      "  local-api: fix the Dockerfile",
    ]);
  });

  it("an invalid config says the last good one stays", () => {
    const configError = new ConfigError([{ message: "bad", location: { file: "/p/.meshdeploy.yaml", line: 3, column: 1 }, rule: "yaml" }]);
    assert.deepEqual(renderReport(end(outcome({ configError }), 12), opts), ["✗ cycle 4 · the config is invalid; the last good one stays deployed, waiting for a fix (12 ms)"]);
    assert.deepEqual(renderReport(end(outcome({ error: new Error("network") })), opts), ["✗ cycle 4 failed after 1.2 s; the next change retries"]);
  });

  it("orphans: the hint names watch's --prune only (watch does not follow the config's prune:)", () => {
    const p = { ...plan([svc("local-web")]), orphans: [{ room: "dev", name: "local-old", id: "k" }] };
    const lines = renderReport({ type: "planned", cycle: 2, plan: p }, opts);
    assert.deepEqual(lines.slice(lines.indexOf("! 1 service owned by o no longer declared: local-old (room dev)"), -1), [
      "! 1 service owned by o no longer declared: local-old (room dev)",
      "  kept because prune is off in watch (it does not follow the config's `prune:`); run watch with --prune to delete them",
      "",
    ]);
  });

  it("a plan without changes prints nothing between the cycle lines", () => {
    assert.deepEqual(renderReport({ type: "planned", cycle: 2, plan: plan([svc("local-web", "noop")]) }, opts), []);
    assert.equal(duration(999), "999 ms");
    assert.equal(duration(61_000), "61.0 s");
  });

  it("--verbose: a printed plan also lists the services that are up to date", () => {
    const report: WatchReport = { type: "planned", cycle: 2, plan: plan([svc("web"), svc("api", "noop")]) };
    assert.equal(renderReport(report, opts).some((l) => l.includes("= api  up to date")), false);
    assert.equal(renderReport(report, { ...opts, verbose: true }).some((l) => l.includes("= api  up to date")), true);
  });
});

