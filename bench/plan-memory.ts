// bench/plan-memory: peak resident memory of `meshdeploy plan` — the built binary, one process
// per run, its maxRSS read at exit — at 5,000 services: against a room that already holds them
// (a no-op plan: 5,000 live specs read, canonicalised and compared) and against an empty room
// (5,000 creates rendered), each compared with the same plan at 1 service. Also the wall time of
// the 5,000-service no-op plan. Not a test: numbers, not assertions.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config/load.js";
import { applyRun, planDesired } from "../src/reconcile.js";
import { startLocalRoom } from "../src/local/server.js";
import { MeshagentTarget } from "../src/platform/meshagent-target.js";
import { median, type Figure } from "./figures.js";

const TOKEN = "bench-plan-memory-token-0123456789";
const N = 5_000;
const RUNS = 3;
const BIN = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
/** Loaded before the binary: reports the process's peak RSS (KiB on Linux) when it exits. */
const PEAK_RSS_HOOK = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\nPEAK_RSS_KB "+process.resourceUsage().maxRSS+"\\n"))`;

function configYaml(n: number, room: string): string {
  const lines = ["version: 1", `room: ${room}`, "owner: bench", "services:"];
  for (let i = 0; i < n; i += 1) {
    lines.push(`  - tag: bench/svc-${i}:1`, `    env: {APP_ENV: bench, INDEX: "${i}"}`);
    if (i % 2 === 0) lines.push("    token: agentDefault");
    lines.push('    mounts: {room: ["/data:/srv/data"], emptyDirs: ["/tmp/cache"]}', "    ports: [{num: 8000, type: http, liveness: /health}]");
  }
  return lines.join("\n") + "\n";
}

/** One `plan` process: its peak RSS in MB and its wall time in ms. */
function planProcess(file: string, url: string): Promise<{ rssMb: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["--import", PEAK_RSS_HOOK, BIN, "plan", "-f", file], {
      env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", MESHAGENT_API_URL: url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (data) => (stderr += String(data)));
    child.on("error", reject);
    child.on("close", (code) => {
      const kb = /PEAK_RSS_KB (\d+)/.exec(stderr);
      if (code !== 0 || kb === null) reject(new Error(`plan exited ${code}: ${stderr.slice(-500)}`));
      else resolve({ rssMb: (Number(kb[1]) * 1024) / 1e6, ms: performance.now() - started });
    });
  });
}

export interface PlanMemoryResult {
  n: number;
  noopRssMb: number[];
  createRssMb: number[];
  oneRssMb: number[];
  noopMs: number[];
  seedSeconds: number;
}

export async function main(): Promise<PlanMemoryResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-mem-room-"));
  const dir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-mem-"));
  const room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["big", "empty", "one"] });
  try {
    const files = { big: path.join(dir, "big.yaml"), empty: path.join(dir, "empty.yaml"), one: path.join(dir, "one.yaml") };
    await writeFile(files.big, configYaml(N, "big"));
    await writeFile(files.empty, configYaml(N, "empty"));
    await writeFile(files.one, configYaml(1, "one"));
    const seedStart = performance.now();
    for (const file of [files.big, files.one]) {
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
      const seeded = await applyRun(target, await planDesired(target, await loadConfig(file)), { concurrency: 16, wait: false });
      await target.close();
      if (seeded.summary.failed > 0) throw new Error(`seeding failed: ${seeded.results.find((r) => r.error)?.error?.message}`);
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    console.log(`plan-memory: peak RSS of \`meshdeploy plan\` (one process per run, median of ${RUNS}); ${N} services seeded in ${seedSeconds.toFixed(0)} s`);
    const result: PlanMemoryResult = { n: N, noopRssMb: [], createRssMb: [], oneRssMb: [], noopMs: [], seedSeconds };
    for (let run = 0; run < RUNS; run += 1) {
      const noop = await planProcess(files.big, room.url);
      result.noopRssMb.push(noop.rssMb);
      result.noopMs.push(noop.ms);
      result.createRssMb.push((await planProcess(files.empty, room.url)).rssMb);
      result.oneRssMb.push((await planProcess(files.one, room.url)).rssMb);
    }
    const one = median(result.oneRssMb);
    console.log(`  1 service (baseline)            ${one.toFixed(0).padStart(5)} MB`);
    console.log(`  ${N} services, no-op plan       ${median(result.noopRssMb).toFixed(0).padStart(5)} MB  (${(median(result.noopRssMb) / one).toFixed(2)}×, ${median(result.noopMs).toFixed(0)} ms)`);
    console.log(`  ${N} services, all to create    ${median(result.createRssMb).toFixed(0).padStart(5)} MB  (${(median(result.createRssMb) / one).toFixed(2)}×)`);
    return result;
  } finally {
    await room.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

export const title = "Plan memory at 5,000 services";

export function figures(r: PlanMemoryResult): Figure[] {
  const n = r.n.toLocaleString("en-US");
  const baseline = { name: "plan of 1 service", runs: r.oneRssMb };
  return [
    { group: "Plan memory", name: `peak RSS, no-op plan of ${n} live services`, unit: "MB", runs: r.noopRssMb, baseline, comparison: "times" },
    { group: "Plan memory", name: `peak RSS, plan of ${n} creates (empty room)`, unit: "MB", runs: r.createRssMb, baseline, comparison: "times" },
    { group: "Plan memory", name: `wall time, no-op plan of ${n} live services (process start to exit)`, unit: "ms", runs: r.noopMs },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
