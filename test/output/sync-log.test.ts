// The long-running sync log: an ISO-8601 time on every line, one JSON object per event with
// --log-format json, a steady state logged once and then only as a heartbeat, changes always.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CycleReport } from "../../src/loops/sync/sync-loop.js";
import type { Plan } from "../../src/plan/types.js";
import { SyncLog } from "../../src/output/sync-log.js";
import { plain } from "../../src/output/style.js";

const commit = { sha: "a".repeat(40), subject: "add web" };
const plan = (update: number): Plan => ({ owner: "o", prune: false, services: [], problems: [], orphans: [], summary: { create: 0, update, delete: 0, noop: 1 } });
const upToDate: CycleReport = { head: commit, outcome: "up-to-date", reconciled: { commit, what: "up-to-date", plan: plan(0), result: null }, durationMs: 12.3 };
const corrected: CycleReport = {
  head: commit,
  outcome: "drift-corrected",
  reconciled: { commit, what: "drift-corrected", plan: plan(1), result: { results: [], summary: { created: 0, updated: 1, deleted: 0, unchanged: 0, failed: 0, skipped: 0 }, health: [] } },
};
const at = (minutes: number) => new Date(Date.UTC(2026, 11, 2, 12, minutes));
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

describe("sync log", () => {
  it("prefixes every line with an ISO-8601 time", () => {
    const log = new SyncLog({ format: "text", heartbeatMs: 3_600_000, style: plain });
    const lines = log.cycle(upToDate, at(0));
    assert.deepEqual(lines, ["2026-12-02T12:00:00.000Z commit aaaaaaa add web: up to date (0 services)"]);
    assert.match(log.event("listening", "info", "listening on http://127.0.0.1:1", at(1)), ISO);
  });

  it("logs a steady state once, then a heartbeat at the low rate; a change is always logged", () => {
    const log = new SyncLog({ format: "text", heartbeatMs: 60 * 60_000, style: plain });
    assert.equal(log.cycle(upToDate, at(0)).length, 1);
    assert.deepEqual(log.cycle(upToDate, at(1)), [], "the same 'up to date' every interval is not news");
    assert.deepEqual(log.cycle(upToDate, at(30)), []);
    const heartbeat = log.cycle(upToDate, new Date(at(0).getTime() + 60 * 60_000));
    assert.equal(heartbeat.length, 1);
    assert.match(heartbeat[0]!, /up to date \(0 services\) \(unchanged since 2026-12-02T12:00:00\.000Z\)$/);
    assert.equal(log.cycle(corrected, at(61))[0], "2026-12-02T13:01:00.000Z commit aaaaaaa add web: drift corrected (0 created, 1 updated, 0 deleted)");
    assert.equal(log.cycle(upToDate, at(62)).length, 1, "back to steady after a change is logged again");
  });

  it("--log-format json: one object per event, with the outcome, commit, counts and the text line", () => {
    const log = new SyncLog({ format: "json", heartbeatMs: 3_600_000, style: plain });
    const [line] = log.cycle(corrected, at(5));
    const event = JSON.parse(line!);
    assert.deepEqual(
      { time: event.time, level: event.level, event: event.event, outcome: event.outcome, commit: event.commit, applied: event.applied, message: event.message },
      { time: "2026-12-02T12:05:00.000Z", level: "info", event: "cycle", outcome: "drift-corrected", commit, applied: corrected.reconciled!.result!.summary, message: "commit aaaaaaa add web: drift corrected (0 created, 1 updated, 0 deleted)" },
    );
    assert.deepEqual(JSON.parse(log.event("triggered", "info", "SIGHUP: reconciling now", at(6), { by: "SIGHUP" })), { time: "2026-12-02T12:06:00.000Z", level: "info", event: "triggered", message: "SIGHUP: reconciling now", by: "SIGHUP" });
  });
});
