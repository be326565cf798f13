// bench/noop-health: what a no-op `apply` costs now that health is part of converged. R rooms ×
// N services, all live; then a no-op apply exactly as the CLI runs it (plan → nothing to write →
// read health). Counts, per room: REST service lists (GET …/rooms/R/services), other HTTP
// requests (GET /config and the project's room listing once per run; per room the connect that
// mints the room token and the websocket upgrade), and room state reads
// (services.list RPCs, counted at the RoomApi). The target: at most one REST list and one
// states read per room. Also the wall time of the health read alone. Not a test: numbers.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { DesiredService, DesiredState } from "../src/model/desired.js";
import { applyRun, planDesired, runHealth } from "../src/reconcile.js";
import { startLocalRoom } from "../src/local/server.js";
import { MeshagentTarget } from "../src/platform/meshagent-target.js";
import type { RoomApi } from "../src/platform/room-api.js";
import type { Target } from "../src/platform/target.js";
import { benchService, benchState } from "./desired.js";
import type { Figure } from "./figures.js";

const TOKEN = "bench-token-0123456789";
const RUNS = 3;

function desiredState(rooms: number, perRoom: number): DesiredState {
  const services: DesiredService[] = [];
  for (let r = 0; r < rooms; r++) {
    for (let i = 0; i < perRoom; i++) {
      services.push(benchService({ index: services.length, tag: `bench/r${r}-svc-${i}:1`, room: `bench-${r}`, env: [{ name: "INDEX", value: String(i) }] }));
    }
  }
  return benchState(services);
}

/** The target with every RoomApi.serviceStates call counted. */
function counting(target: MeshagentTarget): { target: Target; stateReads: () => number } {
  let reads = 0;
  const wrapped = new Proxy(target, {
    get(t, key) {
      if (key === "room") {
        return async (name: string): Promise<RoomApi> => {
          const room = await t.room(name);
          return new Proxy(room, {
            get(r, k) {
              const value = Reflect.get(r, k, r);
              if (k === "serviceStates") return () => ((reads += 1), (value as () => unknown).call(r));
              return typeof value === "function" ? value.bind(r) : value;
            },
          });
        };
      }
      const value = Reflect.get(t, key, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
  return { target: wrapped, stateReads: () => reads };
}

export interface NoopHealthRun {
  ms: number;
  healthMs: number;
  restLists: number;
  otherRest: number;
  stateReads: number;
}

export interface NoopHealthResult {
  rooms: number;
  perRoom: number;
  platform: "0.39.9" | "0.50.1";
  runs: NoopHealthRun[];
}

export async function benchNoopHealth(rooms: number, perRoom: number, platform: "0.39.9" | "0.50.1"): Promise<NoopHealthResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-"));
  const names = Array.from({ length: rooms }, (_, r) => `bench-${r}`);
  const room = await startLocalRoom({ dataDir, token: TOKEN, rooms: names, platform, startDelayMs: 20, livenessDelayMs: 20 });
  try {
    const desired = desiredState(rooms, perRoom);
    const seed = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
    const first = await applyRun(seed, await planDesired(seed, desired), { concurrency: 8, pollIntervalMs: 50 });
    if (first.summary.failed > 0) throw new Error(`first apply failed: ${first.results.find((r) => r.error)?.error?.message}`);
    await seed.close();

    const runs: NoopHealthRun[] = [];
    for (let i = -1; i < RUNS; i++) {
      const raw = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
      const { target, stateReads } = counting(raw);
      const logStart = room.requestLog.length;
      const start = performance.now();
      const run = await planDesired(target, desired);
      if (run.plan.summary.noop !== rooms * perRoom) throw new Error(`expected a no-op, got ${JSON.stringify(run.plan.summary)}`);
      const healthStart = performance.now();
      const health = await runHealth(target, run);
      const end = performance.now();
      if (health.some((h) => h.health !== "healthy")) throw new Error(`expected every service healthy: ${JSON.stringify(health.filter((h) => h.health !== "healthy").map((h) => h.health))}`);
      const requests = room.requestLog.slice(logStart);
      const lists = requests.filter((r) => r.method === "GET" && /\/rooms\/[^/]+\/services$/.test(r.path.split("?")[0]!)).length;
      if (process.env["NOOP_HEALTH_DEBUG"] === "1" && i === 0) console.log(requests.map((r) => `${r.method} ${r.path}`).join("\n"));
      if (i >= 0) runs.push({ ms: end - start, healthMs: end - healthStart, restLists: lists, otherRest: requests.length - lists, stateReads: stateReads() });
      await raw.close();
    }
    return { rooms, perRoom, platform, runs };
  } finally {
    await room.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function main(shapes: [number, number][] = [[1, 100], [4, 50]]): Promise<NoopHealthResult[]> {
  const results: NoopHealthResult[] = [];
  console.log(`noop-health (median of ${RUNS} runs): a no-op apply as the CLI runs it, health included`);
  console.log("rooms × N  | platform | wall ms | health ms | REST lists | other HTTP | state reads | per room (lists / reads)");
  for (const [rooms, perRoom] of shapes) {
    for (const platform of ["0.39.9", "0.50.1"] as const) {
      const r = await benchNoopHealth(rooms, perRoom, platform);
      results.push(r);
      const m = (k: keyof NoopHealthRun): number => med(r.runs.map((x) => x[k]));
      console.log(
        `${`${rooms} × ${perRoom}`.padEnd(10)} | ${platform.padEnd(8)} | ${m("ms").toFixed(1).padStart(7)} | ${m("healthMs").toFixed(1).padStart(9)} | ${String(m("restLists")).padStart(10)} | ${String(m("otherRest")).padStart(10)} | ${String(m("stateReads")).padStart(11)} | ${(m("restLists") / rooms).toFixed(1)} / ${(m("stateReads") / rooms).toFixed(1)}`,
      );
    }
  }
  return results;
}

export const title = "No-op apply with health";

export function figures(results: readonly NoopHealthResult[]): Figure[] {
  return results.flatMap((r) => {
    const label = `${r.rooms} room(s) × ${r.perRoom}, ${r.platform}`;
    const group = "No-op apply with health";
    return [
      { group, name: `${label}: REST service lists per room`, unit: "lists", runs: r.runs.map((x) => x.restLists / r.rooms), note: "target ≤ 1" },
      { group, name: `${label}: state reads (services.list) per room`, unit: "reads", runs: r.runs.map((x) => x.stateReads / r.rooms), note: "target ≤ 1" },
      { group, name: `${label}: other REST requests`, unit: "requests", runs: r.runs.map((x) => x.otherRest), note: "GET /config + the room listing; per room: connect + websocket upgrade" },
      { group, name: `${label}: wall time`, unit: "ms", runs: r.runs.map((x) => x.ms) },
      { group, name: `${label}: health read`, unit: "ms", runs: r.runs.map((x) => x.healthMs) },
    ];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
