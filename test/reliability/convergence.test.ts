// Convergence under faults: 200 services in two rooms, 20 % of REST requests and room RPCs
// failing (5xx before and after the handler, 429 with Retry-After, dropped connections) plus
// latency. Each run is what one `meshdeploy apply` does (plan, apply, wait) with a fresh target.
// It must converge within a few re-runs with every service present exactly once and every id
// meshdeploy reported real; then a plan, with the faults still on and again with them off,
// shows no change.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import type { DesiredState } from "../../src/model/desired.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { parseFaultSpec, withSeed } from "../../src/local/faults/fault-spec.js";
import { faultsInjected } from "../../src/local/faults/injector.js";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { MANAGED_BY, OWNER, SPEC_HASH } from "../../src/model/annotations.js";
import type { Plan } from "../../src/plan/types.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { recordingRetry, servicesYaml } from "./helpers.js";
import { forEachPlatform } from "../helpers/platforms.js";

const N = 200;
const ROOMS = ["dev", "staging"];
/** 20 % of requests fail: 8 % 5xx, 4 % 429, 8 % drops; half of the 5xx and drops after the handler ran. */
const FAULTS = "5xx=0.08,429=0.04,drop=0.08,after=0.5,latency=0-3ms,retry-after=1,seed=20240601";
const MAX_RUNS = 6;

forEachPlatform("convergence under 20 % injected faults", (platform) => {
  let dataDir: string;
  let projectDir: string;
  let room: LocalRoom;
  let desired: DesiredState;
  before(async () => {
    dataDir = await tempDir();
    projectDir = await tempDir();
    room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ROOMS, startDelayMs: 10, platform });
    const file = path.join(projectDir, ".meshdeploy.yaml");
    await writeFile(file, servicesYaml(N, { owner: "conv", rooms: ROOMS }));
    desired = await loadConfig(file);
  });
  after(async () => {
    await room.close();
  });
  // Registered after the hook above: the dirs are removed once the room has closed.
  const tempDir = suiteTempDirs("conv");

  const newTarget = (asked: number[], run: number): MeshagentTarget =>
    new MeshagentTarget({
      apiUrl: room.url,
      token: TOKEN,
      projectId: "local",
      retry: recordingRetry(asked, run),
      // A dropped room socket is reconnected within this budget (short: see fault-injection.test.ts).
      room: { callTimeoutMs: 10_000, reconnectTimeoutMs: 1_000 },
    });

  async function planOnce(target: MeshagentTarget): Promise<Plan> {
    return (await planDesired(target, desired)).plan;
  }

  it("converges in a few runs with 0 duplicates and 0 missing; then the plan is empty", async () => {
    room.setFaults(withSeed(parseFaultSpec(FAULTS)!, () => 0));
    const asked: number[] = [];
    const reportedCreated = new Map<string, string>(); // name → id meshdeploy said it created
    const runs: string[] = [];
    let converged = false;
    for (let run = 1; run <= MAX_RUNS && !converged; run += 1) {
      const target = newTarget(asked, run);
      try {
        const reconciliation = await planDesired(target, desired);
        const { summary } = reconciliation.plan;
        if (summary.create + summary.update + summary.delete === 0) {
          converged = true;
          runs.push(`run ${run}: no changes`);
          break;
        }
        const result = await applyRun(target, reconciliation, { concurrency: 8, pollIntervalMs: 20, waitTimeoutMs: 30_000 });
        for (const r of result.results) {
          if (r.outcome !== "created") continue;
          assert.ok(!reportedCreated.has(r.service.name), `${r.service.name} was reported created twice`);
          reportedCreated.set(r.service.name, r.id!);
        }
        runs.push(`run ${run}: plan ${JSON.stringify(summary)} → ${JSON.stringify(result.summary)}`);
      } catch (error) {
        // A whole run may fail (e.g. its room-secret check or a listing ran out of retries): re-run.
        runs.push(`run ${run}: failed: ${(error as Error).message}`);
      } finally {
        await target.close();
      }
    }
    const log = runs.join("\n");
    assert.ok(converged, `not converged after ${MAX_RUNS} runs:\n${log}`);

    // The faults really happened, of every kind, on both channels.
    const stats = room.faultStats()!;
    for (const kind of ["5xx-before", "5xx-after", "429", "drop-before", "drop-after"] as const) assert.ok(stats.rest[kind] > 0, `no REST ${kind}:\n${log}`);
    assert.ok(faultsInjected(stats.rpc) > 0, "no RPC faults");
    // About 20 % (the exact count depends on how many requests the runs made, not on luck alone).
    const restShare = faultsInjected(stats.rest) / (faultsInjected(stats.rest) + stats.rest.none);
    assert.ok(restShare > 0.12 && restShare < 0.28, `REST fault share ${restShare}`);
    assert.ok(asked.length > 0, "failed requests were retried (with back-off or Retry-After)");

    // Exactly the desired services: none missing, none twice, all ours, every reported id real.
    for (const name of ROOMS) {
      const live = room.services(name);
      const names = live.map((s) => (s["metadata"] as { name: string }).name);
      assert.equal(names.length, N / ROOMS.length, `room ${name}: ${names.length} services`);
      assert.equal(new Set(names).size, names.length, `room ${name} has duplicate names`);
      assert.equal(new Set(live.map((s) => s.id)).size, live.length, `room ${name} has duplicate ids`);
      for (const service of live) {
        const annotations = (service["metadata"] as { annotations: Record<string, string> }).annotations;
        assert.equal(annotations[MANAGED_BY], "meshdeploy");
        assert.equal(annotations[OWNER], "conv");
        assert.match(annotations[SPEC_HASH] ?? "", /^[0-9a-f]{64}$/);
      }
    }
    const ids = new Map(ROOMS.flatMap((name) => room.services(name).map((s) => [(s["metadata"] as { name: string }).name, s.id] as const)));
    for (const [name, id] of reportedCreated) assert.equal(ids.get(name), id, `${name}: reported id ${id} is not the live one`);
    assert.ok(reportedCreated.size <= N);

    // A plan under the same faults, and one without, both show 0 changes.
    const noChanges = { create: 0, update: 0, delete: 0, noop: N };
    // Under faults a plan may itself fail (a request out of retries: four faults in a row, which the
    // seeded sequence yields now and then); the user re-runs it. What may never happen is a plan that
    // succeeds and shows a change.
    const planErrors: string[] = [];
    let faultyPlan: Plan | null = null;
    for (let attempt = 0; attempt < 3 && faultyPlan === null; attempt += 1) {
      const faulty = newTarget(asked, 99 + attempt);
      try {
        faultyPlan = await planOnce(faulty);
      } catch (error) {
        assert.equal((error as { code?: string }).code?.startsWith("E_API"), true, String(error));
        planErrors.push((error as Error).message);
      } finally {
        await faulty.close();
      }
    }
    assert.ok(faultyPlan !== null, `no plan under faults succeeded in 3 tries:\n${planErrors.join("\n")}`);
    assert.deepEqual(faultyPlan.summary, noChanges);
    room.setFaults(null);
    const clean = newTarget(asked, 100);
    try {
      assert.deepEqual((await planOnce(clean)).summary, noChanges);
    } finally {
      await clean.close();
    }
    console.log(`convergence: ${log.split("\n").length} runs\n${log}\nREST faults ${JSON.stringify(stats.rest)}\nRPC faults ${JSON.stringify(stats.rpc)}`);
  });
}, { timeout: 120_000 });
