// Prometheus metrics for `sync --listen` (prom-client, its own registry: nothing global). Fed one
// cycle report at a time; also the readiness rule: the last reconcile succeeded within N intervals.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CycleReport } from "./sync-loop.js";

/** A cycle that reconciled the desired state successfully (a skipped head whose last good state reconciled counts). */
export function reconciledOk(report: CycleReport): boolean {
  if (report.outcome === "failed" || report.outcome === "interrupted") return false;
  return report.reconciled !== undefined;
}

export class SyncMetrics {
  readonly registry = new Registry();
  readonly #reconciles = new Counter({ name: "meshdeploy_sync_reconciles_total", help: "Sync cycles, by outcome (applied, up-to-date, drift-corrected, drift-detected, suspended, skipped, failed, interrupted).", labelNames: ["outcome"], registers: [this.registry] });
  readonly #failures = new Counter({ name: "meshdeploy_sync_reconcile_failures_total", help: "Sync cycles that failed (fetch, plan or apply); they back off and retry.", registers: [this.registry] });
  readonly #duration = new Histogram({ name: "meshdeploy_sync_reconcile_duration_seconds", help: "Duration of a sync cycle: fetch, plan and apply.", buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: [this.registry] });
  readonly #services = new Gauge({ name: "meshdeploy_sync_services", help: "Declared services after the last reconcile, by health: healthy (matches the config), out_of_sync (changes not applied: suspended, or drift with self-heal off), failed (the last write failed).", labelNames: ["health"], registers: [this.registry] });
  readonly #commit = new Gauge({ name: "meshdeploy_sync_last_applied_commit_info", help: "The commit whose config is deployed (value 1; the commit is the label).", labelNames: ["commit"], registers: [this.registry] });
  readonly #drift = new Counter({ name: "meshdeploy_sync_drift_corrections_total", help: "Cycles that corrected out-of-band edits of the deployed commit.", registers: [this.registry] });
  readonly #lastSuccess = new Gauge({ name: "meshdeploy_sync_last_success_timestamp_seconds", help: "Unix time of the last successful reconcile.", registers: [this.registry] });
  readonly #suspended = new Gauge({ name: "meshdeploy_sync_suspended", help: "1 while applying is suspended (drift is still planned and reported).", registers: [this.registry] });
  #lastSuccessMs: number | null = null;

  constructor() {
    for (const outcome of ["applied", "up-to-date", "drift-corrected", "drift-detected", "suspended", "skipped", "failed"]) this.#reconciles.inc({ outcome }, 0);
    for (const health of ["healthy", "out_of_sync", "failed"]) this.#services.set({ health }, 0);
  }

  record(report: CycleReport, nowMs: number, suspended: boolean): void {
    this.#reconciles.inc({ outcome: report.outcome });
    if (report.outcome === "failed") this.#failures.inc();
    if (report.durationMs !== undefined) this.#duration.observe(report.durationMs / 1000);
    this.#suspended.set(suspended ? 1 : 0);
    const reconciled = report.reconciled;
    if (reconciled === undefined) return;
    if (reconciled.what === "drift-corrected" && report.outcome !== "failed") this.#drift.inc();
    const health = { healthy: 0, out_of_sync: 0, failed: 0 };
    const failed = new Set((reconciled.result?.results ?? []).filter((r) => r.outcome === "failed").map((r) => `${r.service.room}/${r.service.name}`));
    for (const s of reconciled.plan.services) {
      if (s.type === "delete") continue;
      if (failed.has(`${s.room}/${s.name}`)) health.failed++;
      else if (s.type !== "noop" && reconciled.result === null) health.out_of_sync++;
      else health.healthy++;
    }
    for (const [name, count] of Object.entries(health)) this.#services.set({ health: name }, count);
    if (reconciledOk(report) && reconciled.what !== "suspended") {
      this.#commit.reset();
      this.#commit.set({ commit: reconciled.commit.sha }, 1);
    }
    if (reconciledOk(report)) {
      this.#lastSuccessMs = nowMs;
      this.#lastSuccess.set(nowMs / 1000);
    }
  }

  /** Ready: the last successful reconcile is at most `withinMs` old. */
  ready(nowMs: number, withinMs: number): { ok: boolean; reason: string } {
    if (this.#lastSuccessMs === null) return { ok: false, reason: "no successful reconcile yet" };
    const age = nowMs - this.#lastSuccessMs;
    return age <= withinMs ? { ok: true, reason: `last successful reconcile ${Math.round(age / 1000)}s ago` } : { ok: false, reason: `last successful reconcile ${Math.round(age / 1000)}s ago (more than ${Math.round(withinMs / 1000)}s)` };
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
