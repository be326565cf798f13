// bench/noop-reconcile: N services in one local room. After a first apply, a no-op `apply`
// (plan finds nothing to do) against what `meshagent deploy` does per service (list the room,
// PUT the spec). Prints wall time and HTTP requests for both, and the ratios, and returns them
// (every run's values) for BENCHMARKS.md. Not a test: numbers, not assertions. Past 100
// services the deploy loop is timed over 100 of them (spread over the room) and scaled to N:
// each service costs it the same, a list of all N and a PUT.
// The tags carry their namespace (`bench/svc-N:1`), so the count is the room list plus the
// project's room listing (prune sees every room; one more request per other room of the project):
// a config with shorthand tags (`web:1`) adds two requests per run (GET /config, GET the project)
// to learn the project key, whatever N is.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { DesiredState, DesiredService } from "../src/model/desired.js";
import { applyRun, planDesired } from "../src/reconcile.js";
import { startLocalRoom } from "../src/local/server.js";
import { HttpClient } from "../src/platform/http-client.js";
import { MeshagentTarget } from "../src/platform/meshagent-target.js";
import { benchService, benchState } from "./desired.js";
import type { Figure } from "./figures.js";

const TOKEN = "bench-token-0123456789";
const RUNS = 3;
/** The deploy loop runs for at most this many services and is scaled to N (see benchNoop). */
const LOOP_SAMPLE = 100;

function desiredState(n: number): DesiredState {
  const services: DesiredService[] = Array.from({ length: n }, (_, i) =>
    benchService({
      index: i,
      tag: `bench/svc-${i}:1`,
      room: "bench",
      env: [{ name: "APP_ENV", value: "bench" }, { name: "INDEX", value: String(i) }],
      token: i % 2 === 0 ? { preset: "agentDefault" } : null,
      mounts: { room: [{ path: "/data", subpath: "data", readOnly: false }], project: null, images: null, emptyDirs: null, volumes: null },
    }),
  );
  return benchState(services);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface NoopResult {
  n: number;
  meshdeployMs: number;
  meshdeployRequests: number;
  loopMs: number;
  loopRequests: number;
  /** Every run, for the report. */
  runs: { meshdeploy: { ms: number; requests: number }[]; loop: { ms: number; requests: number }[] };
}

export async function benchNoop(n: number): Promise<NoopResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-"));
  const room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["bench"] });
  try {
    const desired = desiredState(n);
    const seed = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
    const first = await applyRun(seed, await planDesired(seed, desired), { concurrency: 8, wait: false });
    if (first.summary.failed > 0) throw new Error(`first apply failed: ${first.results.find((r) => r.error)?.error?.message}`);
    await seed.close();

    // Run -1 warms up (module loading, JIT) and is not counted, on both sides.
    const ours: { ms: number; requests: number }[] = [];
    for (let i = -1; i < RUNS; i++) {
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
      const start = performance.now();
      const run = await planDesired(target, desired);
      await applyRun(target, run, { concurrency: 4 });
      const { plan } = run;
      if (i >= 0) ours.push({ ms: performance.now() - start, requests: target.requestCount() });
      if (plan.summary.noop !== n) throw new Error(`expected a no-op, got ${JSON.stringify(plan.summary)}`);
      await target.close();
    }

    // What the CLI's deploy does per service: list the room, find the service by name, PUT it.
    // Every service costs the same (a list of all N, a PUT), so past LOOP_SAMPLE services the loop
    // runs for LOOP_SAMPLE of them, spread over the room, and is scaled to N (at N = 1,000 the whole
    // loop took 15–40 s a run, most of `npm run bench`).
    const sample = Math.min(n, LOOP_SAMPLE);
    const scale = n / sample;
    const loop: { ms: number; requests: number }[] = [];
    for (let run = -1; run < RUNS; run++) {
      const http = new HttpClient({ baseUrl: room.url, token: TOKEN });
      const start = performance.now();
      for (let k = 0; k < sample; k++) {
        const i = Math.floor(k * scale);
        const listed = (await http.send("GET", "/accounts/projects/local/rooms/bench/services")).json as { services: { id: string; metadata: { name: string } }[] };
        const existing = listed.services.find((s) => s.metadata.name === `bench-svc-${i}`)!;
        await http.send("PUT", `/accounts/projects/local/rooms/bench/services/${existing.id}`, existing);
      }
      if (run >= 0) loop.push({ ms: (performance.now() - start) * scale, requests: http.requestCount * scale });
      await http.close();
    }
    return {
      n,
      meshdeployMs: median(ours.map((r) => r.ms)),
      meshdeployRequests: median(ours.map((r) => r.requests)),
      loopMs: median(loop.map((r) => r.ms)),
      loopRequests: median(loop.map((r) => r.requests)),
      runs: { meshdeploy: ours, loop },
    };
  } finally {
    await room.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function main(sizes: number[] = [10, 100, 1000]): Promise<NoopResult[]> {
  const results: NoopResult[] = [];
  console.log(`noop-reconcile (median of ${RUNS} runs, one local room)`);
  console.log("     N | meshdeploy no-op apply    | deploy loop (list+PUT)    | time ratio | request ratio");
  for (const n of sizes) {
    const r = await benchNoop(n);
    results.push(r);
    console.log(
      `${String(n).padStart(6)} | ${r.meshdeployMs.toFixed(1).padStart(9)} ms ${String(r.meshdeployRequests).padStart(5)} req | ${r.loopMs.toFixed(1).padStart(9)} ms ${String(r.loopRequests).padStart(5)} req | ${(r.loopMs / r.meshdeployMs).toFixed(1).padStart(9)}× | ${(r.loopRequests / r.meshdeployRequests).toFixed(0).padStart(12)}×`,
    );
  }
  return results;
}

export const title = "No-op reconcile";

/** The results as report figures: time and requests of the no-op apply against the deploy loop. */
export function figures(results: readonly NoopResult[]): Figure[] {
  return results.flatMap((r) => [
    {
      group: "No-op reconcile",
      name: `N = ${r.n.toLocaleString("en-US")}: wall time`,
      unit: "ms",
      runs: r.runs.meshdeploy.map((x) => x.ms),
      baseline: { name: "deploy loop", runs: r.runs.loop.map((x) => x.ms) },
      comparison: "faster" as const,
      ...(r.n > LOOP_SAMPLE ? { note: `deploy loop timed over ${LOOP_SAMPLE} of the ${r.n.toLocaleString("en-US")} services and scaled ×${r.n / LOOP_SAMPLE}` } : {}),
    },
    {
      group: "No-op reconcile",
      name: `N = ${r.n.toLocaleString("en-US")}: HTTP requests`,
      unit: "requests",
      runs: r.runs.meshdeploy.map((x) => x.requests),
      baseline: { name: "deploy loop", runs: r.runs.loop.map((x) => x.requests) },
      comparison: "fewer" as const,
    },
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
