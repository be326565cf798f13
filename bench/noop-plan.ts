// bench/noop-plan: `meshdeploy plan` (the built binary, one process per run) finding nothing to
// do at 1,000, 5,000 and 20,000 services, in one room and spread over 100 rooms, against the
// floor measured in the same run: bench/noop-floor.mjs reads the same config, parses its YAML,
// lists each room once (node:http, in parallel) and parses the JSON — the least any no-op plan
// must do. The two run in turn (floor, plan, floor, plan …) against the same seeded local room;
// each process's CPU (user + system, its children included) and peak RSS are read as it exits.
// Figures: the median plan CPU and peak RSS with their ratio to the floor's (issue 14's target:
// at most 1.5× the CPU, 1.3× the memory). Not a test: numbers, not assertions. Configs are flow
// style (`- {tag: …}`): the 20,000-service block-style file is over the 4 MB config limit.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../src/config/load.js";
import { localPlatform } from "../src/local/platform.js";
import { startLocalRoom } from "../src/local/server.js";
import { serializeState, type ServiceRecord, type StateData } from "../src/local/state.js";
import { MeshagentTarget } from "../src/platform/meshagent-target.js";
import { planDesired } from "../src/reconcile.js";
import { median, type Figure } from "./figures.js";

const TOKEN = "bench-noop-plan-token-0123456789";
const BIN = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const FLOOR = fileURLToPath(new URL("./noop-floor.mjs", import.meta.url));
/** Counted pairs and uncounted warm-up pairs per size: few at 20,000 (a pair takes seconds there). */
const CASES: { n: number; rooms: number; runs: number; warmup: number }[] = [
  { n: 1_000, rooms: 1, runs: 5, warmup: 1 },
  { n: 1_000, rooms: 100, runs: 5, warmup: 1 },
  { n: 5_000, rooms: 1, runs: 3, warmup: 0 },
  { n: 5_000, rooms: 100, runs: 3, warmup: 0 },
  { n: 20_000, rooms: 1, runs: 2, warmup: 0 },
  { n: 20_000, rooms: 100, runs: 2, warmup: 0 },
];
/**
 * Loaded before the measured script: at exit, its CPU (user + system, plus its waited-for
 * children's from /proc where there is one) and peak RSS (KiB on Linux).
 */
const USAGE_HOOK =
  "data:text/javascript," +
  encodeURIComponent(
    `import {readFileSync} from "node:fs";process.on("exit",()=>{const u=process.resourceUsage();let c=0;try{const f=readFileSync("/proc/self/stat","utf8").split(") ")[1].split(" ");c=(Number(f[13])+Number(f[14]))*1e4}catch{}process.stderr.write("\\nUSAGE "+(u.userCPUTime+u.systemCPUTime+c)+" "+u.maxRSS+"\\n")})`,
  );

export function configYaml(n: number, rooms: number): string {
  const lines = ["version: 1", ...(rooms === 1 ? ["room: r0"] : []), "owner: bench", "services:"];
  for (let i = 0; i < n; i += 1) {
    const room = rooms === 1 ? "" : ` room: r${i % rooms},`;
    const token = i % 2 === 0 ? " token: agentDefault," : "";
    lines.push(`  - {tag: bench/svc-${i}:1,${room} env: {APP_ENV: bench, INDEX: "${i}"},${token} mounts: {room: ["/data:/srv/data"], emptyDirs: ["/tmp/cache"]}, ports: [{num: 8000, type: http, liveness: /health}]}`);
  }
  return lines.join("\n") + "\n";
}

interface Usage {
  cpuMs: number;
  rssMb: number;
}

function measured(args: string[], env: Record<string, string>, check: (stdout: string) => boolean): Promise<Usage> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", USAGE_HOOK, ...args], { env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data) => (stdout += String(data)));
    child.stderr.on("data", (data) => (stderr += String(data)));
    child.on("error", reject);
    child.on("close", (code) => {
      const usage = /USAGE (\d+) (\d+)/.exec(stderr);
      if (code !== 0 || usage === null) reject(new Error(`${path.basename(args[0]!)} exited ${code}: ${stderr.slice(-500)}`));
      else if (!check(stdout)) reject(new Error(`${path.basename(args[0]!)} did not answer as expected: ${stdout.slice(0, 500)}`));
      else resolve({ cpuMs: Number(usage[1]) / 1000, rssMb: (Number(usage[2]) * 1024) / 1e6 });
    });
  });
}

/**
 * A data directory holding exactly what the room stores after `apply` of `file` (each create
 * body, normalised as POST stores it), written directly: 20,000 creates would take minutes.
 */
export async function seed(file: string, rooms: number, dataDir: string): Promise<void> {
  const names = Array.from({ length: rooms }, (_, i) => `r${i}`);
  const emptyDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-noop-empty-"));
  const empty = await startLocalRoom({ dataDir: emptyDir, token: TOKEN, rooms: names });
  const target = new MeshagentTarget({ apiUrl: empty.url, token: TOKEN, projectId: "local" });
  let plan;
  try {
    plan = (await planDesired(target, await loadConfig(file))).plan;
  } finally {
    await target.close();
    await empty.close();
    await rm(emptyDir, { recursive: true, force: true });
  }
  const platform = localPlatform();
  const byRoom = new Map<string, ServiceRecord[]>(names.map((name) => [name, []]));
  plan.services.forEach((s, i) => byRoom.get(s.room)!.push(platform.normaliseSpec(s.body as Record<string, unknown>, `svc-${i}`)));
  const data: StateData = {
    createdAt: new Date(0).toISOString(),
    platform: platform.version,
    rooms: names.map((name, i) => ({ room: { id: `room-${i}`, name, metadata: {}, annotations: {} }, services: byRoom.get(name)! })),
    routes: [],
    secrets: [],
    images: [],
    serviceAccounts: [],
    accountSecrets: [],
  };
  await writeFile(path.join(dataDir, "state.json"), serializeState(data));
}

export interface NoopPlanResult {
  n: number;
  rooms: number;
  plan: Usage[];
  floor: Usage[];
}

async function benchCase(c: (typeof CASES)[number], dir: string): Promise<NoopPlanResult> {
  const file = path.join(dir, `noop-${c.n}-${c.rooms}.yaml`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-noop-room-"));
  await writeFile(file, configYaml(c.n, c.rooms));
  await seed(file, c.rooms, dataDir);
  const room = await startLocalRoom({ dataDir, token: TOKEN });
  const env = { MESHAGENT_API_URL: room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" };
  const result: NoopPlanResult = { n: c.n, rooms: c.rooms, plan: [], floor: [] };
  try {
    for (let run = -c.warmup; run < c.runs; run += 1) {
      const floor = await measured([FLOOR, file, room.url, TOKEN, "local"], {}, (out) => out.startsWith(`${c.n} live services in ${c.rooms} rooms`));
      const plan = await measured([BIN, "plan", "-f", file], env, (out) => /no changes/i.test(out));
      if (run < 0) continue;
      result.floor.push(floor);
      result.plan.push(plan);
    }
    return result;
  } finally {
    await room.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const ratio = (a: number[], b: number[]): string => (median(a) / median(b)).toFixed(2);

export async function main(cases: readonly (typeof CASES)[number][] = CASES): Promise<NoopPlanResult[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-noop-plan-"));
  const results: NoopPlanResult[] = [];
  console.log("noop-plan: `meshdeploy plan` finding no changes against the floor (read + YAML parse + one list per room + JSON parse), paired, one process each");
  console.log("      N  rooms | plan CPU   floor CPU  ratio | plan peak  floor peak  ratio");
  try {
    for (const c of cases) {
      const r = await benchCase(c, dir);
      results.push(r);
      const cpu = (u: Usage[]): number[] => u.map((x) => x.cpuMs);
      const rss = (u: Usage[]): number[] => u.map((x) => x.rssMb);
      console.log(
        `${String(r.n).padStart(7)} ${String(r.rooms).padStart(5)}  | ${median(cpu(r.plan)).toFixed(0).padStart(6)} ms ${median(cpu(r.floor)).toFixed(0).padStart(7)} ms ${ratio(cpu(r.plan), cpu(r.floor)).padStart(5)}× | ${median(rss(r.plan)).toFixed(0).padStart(6)} MB ${median(rss(r.floor)).toFixed(0).padStart(7)} MB ${ratio(rss(r.plan), rss(r.floor)).padStart(5)}×`,
      );
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const title = "No-op plan against the floor";

export function figures(results: readonly NoopPlanResult[]): Figure[] {
  return results.flatMap((r) => {
    const at = `${r.n.toLocaleString("en-US")} services, ${r.rooms === 1 ? "one room" : `${r.rooms} rooms`}`;
    return [
      { group: "No-op plan", name: `${at}: CPU`, unit: "ms", runs: r.plan.map((u) => u.cpuMs), baseline: { name: "the floor", runs: r.floor.map((u) => u.cpuMs) }, comparison: "times" as const, note: "target: ≤ 1.5× the floor" },
      { group: "No-op plan", name: `${at}: peak RSS`, unit: "MB", runs: r.plan.map((u) => u.rssMb), baseline: { name: "the floor", runs: r.floor.map((u) => u.rssMb) }, comparison: "times" as const, note: "target: ≤ 1.3× the floor" },
    ];
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
