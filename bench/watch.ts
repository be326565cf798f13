// bench/watch: a real watch session (chokidar, the state machine, the engine) against the
// embedded local room, in one process. Prints:
//  - save → cycle start latency over several saves (target ≤ quiet period + 50 ms), and the
//    overhead beyond the quiet period;
//  - a burst of 1,000 new files in a context → how many cycles started (target exactly 1);
//  - CPU while idle-watching a 20k-file context: process.cpuUsage over one-second windows, as a
//    share of one core (this includes the in-process local room, idle too), and the inotify
//    watches the process holds (read from /proc/self/fdinfo: exact, where an in-process RSS delta
//    is mostly GC noise — it came out between -2 and 168 MB on the same tree).
// Returns every run for BENCHMARKS.md. Not a test: numbers, not assertions. Temp trees are
// removed afterwards.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config/load.js";
import { startLocalRoom } from "../src/local/server.js";
import { MeshagentTarget } from "../src/platform/meshagent-target.js";
import { runWatch, type WatchReport } from "../src/loops/watch/session.js";
import type { Figure } from "./figures.js";

export const title = "Watch latency and burst coalescing";

const TOKEN = "bench-watch-token-0123456789";
const DEBOUNCE_MS = 300;
const SAVES = 10;
const BURST = 1000;
const IDLE_FILES = 20_000;
const IDLE_SECONDS = 5;
const BURST_RUNS = 3;
const GROUP = "Watch";

interface Session {
  dir: string;
  reports: { at: number; report: WatchReport }[];
  until(match: (r: WatchReport) => boolean, from: number): Promise<number>;
  stop(): Promise<void>;
}

async function session(populate: (dir: string) => void): Promise<Session> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-watch-")));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-room-"));
  mkdirSync(path.join(dir, "web"));
  writeFileSync(path.join(dir, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: bench\nservices:\n  - tag: web:1\n    build: ./web\n");
  writeFileSync(path.join(dir, "web/Dockerfile"), 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/app.js"]\n');
  writeFileSync(path.join(dir, "web/app.js"), "console.log(0)\n");
  populate(path.join(dir, "web"));
  const room = await startLocalRoom({ dataDir, token: TOKEN, port: 0, rooms: ["dev"], startDelayMs: 20 });
  const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
  const controller = new AbortController();
  const reports: Session["reports"] = [];
  let waiters: (() => void)[] = [];
  const running = runWatch({
    target,
    createRooms: true,
    configEnv: {},
    desired: await loadConfig(path.join(dir, ".meshdeploy.yaml")),
    debounceMs: DEBOUNCE_MS,
    prune: false,
    run: { concurrency: 4, wait: true, waitTimeoutMs: 60_000, pollIntervalMs: 50 },
    signal: controller.signal,
    onReport: (report) => {
      reports.push({ at: performance.now(), report });
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    },
  });
  return {
    dir,
    reports,
    async until(match, from) {
      for (;;) {
        const i = reports.findIndex((r, index) => index >= from && match(r.report));
        if (i >= 0) return i;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    async stop() {
      controller.abort();
      await running;
      await target.close();
      await room.close();
      await rm(dir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

const isEnd = (r: WatchReport): boolean => r.type === "cycleEnd";
const isStart = (r: WatchReport): boolean => r.type === "cycleStart";
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const pct = (xs: number[], p: number): number => sorted(xs)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN;

/** Inotify watches this process holds (Linux); null elsewhere. */
function inotifyWatches(): number | null {
  try {
    let watches = 0;
    for (const fd of readdirSync("/proc/self/fdinfo")) {
      try {
        watches += (readFileSync(`/proc/self/fdinfo/${fd}`, "utf8").match(/^inotify wd:/gm) ?? []).length;
      } catch {
        // closed meanwhile
      }
    }
    return watches;
  } catch {
    return null;
  }
}

async function latency(): Promise<Figure[]> {
  const s = await session(() => {});
  try {
    await s.until(isEnd, 0);
    const samples: number[] = [];
    for (let i = 1; i <= SAVES; i += 1) {
      const from = s.reports.length;
      const savedAt = performance.now();
      await writeFile(path.join(s.dir, "web/app.js"), `console.log(${i})\n`);
      const start = await s.until(isStart, from);
      samples.push(s.reports[start]!.at - savedAt);
      await s.until(isEnd, start);
    }
    const median = pct(samples, 0.5);
    const worst = Math.max(...samples);
    console.log(`  save → cycle start (${SAVES} saves, quiet period ${DEBOUNCE_MS} ms): median ${median.toFixed(0)} ms, p90 ${pct(samples, 0.9).toFixed(0)} ms, max ${worst.toFixed(0)} ms`);
    console.log(`    overhead beyond the quiet period: median ${(median - DEBOUNCE_MS).toFixed(0)} ms, max ${(worst - DEBOUNCE_MS).toFixed(0)} ms (target ≤ 50 ms); max / target = ${(worst / (DEBOUNCE_MS + 50)).toFixed(2)}x`);
    return [
      {
        group: GROUP,
        name: `save → cycle start (${SAVES} saves)`,
        unit: "ms",
        runs: samples,
        baseline: { name: "the quiet period", runs: [DEBOUNCE_MS] },
        comparison: "times",
        note: `target ≤ ${DEBOUNCE_MS + 50} ms (quiet period + 50 ms); max ${worst.toFixed(0)} ms`,
      },
    ];
  } finally {
    await s.stop();
  }
}

async function burst(run: number): Promise<{ cycles: number; events: number }> {
  const s = await session(() => {});
  try {
    await s.until(isEnd, 0);
    const from = s.reports.length;
    const t0 = performance.now();
    mkdirSync(path.join(s.dir, `web/burst${run}`));
    for (let i = 0; i < BURST; i += 1) writeFileSync(path.join(s.dir, `web/burst${run}/f${i}.txt`), String(i));
    const wrote = performance.now() - t0;
    const end = await s.until(isEnd, from);
    // A quiet stretch after the cycle, then count: every further cycle would be a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 4 * DEBOUNCE_MS));
    const cycles = s.reports.slice(from).filter((r) => isStart(r.report)).length;
    const report = s.reports[end]!.report;
    const files = report.type === "cycleEnd" ? (report.trigger?.files.length ?? 0) : 0;
    console.log(`  burst of ${BURST} new files (${BURST + 1} file events, written in ${wrote.toFixed(0)} ms): ${cycles} cycle(s) (target 1), batch of ${files} paths`);
    return { cycles, events: BURST + 1 };
  } finally {
    await s.stop();
  }
}

async function idle(): Promise<Figure[]> {
  const t0 = performance.now();
  const s = await session((web) => {
    for (let d = 0; d < 200; d += 1) {
      mkdirSync(path.join(web, `d${d}`));
      for (let f = 0; f < IDLE_FILES / 200; f += 1) writeFileSync(path.join(web, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`);
    }
  });
  try {
    const watching = await s.until((r) => r.type === "watching", 0);
    const end = await s.until(isEnd, 0);
    const ready = s.reports[watching]!.at - t0;
    const first = s.reports[end]!.at - s.reports[watching]!.at;
    const shares: number[] = [];
    for (let second = 0; second < IDLE_SECONDS; second += 1) {
      const before = process.cpuUsage();
      const wall = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const used = process.cpuUsage(before);
      shares.push(((used.user + used.system) / 1000 / (performance.now() - wall)) * 100);
    }
    const cpu = shares.reduce((a, b) => a + b, 0) / shares.length;
    console.log(`  idle watch of a ${IDLE_FILES + 2}-file context (200 dirs): ${cpu.toFixed(2)}% of one core over ${IDLE_SECONDS} s`);
    console.log(`    (setup: tree + watcher ready ${ready.toFixed(0)} ms, first full cycle ${first.toFixed(0)} ms; cycles while idle: ${s.reports.slice(end + 1).filter((r) => isStart(r.report)).length})`);
    const watches = inotifyWatches();
    console.log(`    inotify watches held: ${watches ?? "n/a"}`);
    return [
      { group: GROUP, name: `CPU while idle-watching ${IDLE_FILES.toLocaleString("en-US")} files (1 s windows)`, unit: "% of one core", runs: shares },
      ...(watches === null ? [] : [{ group: GROUP, name: "inotify watches held while watching", unit: "watches", runs: [watches], baseline: { name: "files", runs: [IDLE_FILES + 2] }, comparison: "times" as const }]),
    ];
  } finally {
    await s.stop();
  }
}

export async function main(): Promise<Figure[]> {
  console.log("bench/watch: a watch session against the in-process local room");
  const figures = await latency();
  const bursts: { cycles: number; events: number }[] = [];
  for (let run = 0; run < BURST_RUNS; run += 1) bursts.push(await burst(run));
  figures.push({
    group: GROUP,
    name: `cycles started by a burst of ${BURST} new files`,
    unit: "cycles",
    runs: bursts.map((b) => b.cycles),
    baseline: { name: "one cycle per file event", runs: bursts.map((b) => b.events) },
    comparison: "fewer",
    note: "target exactly 1",
  });
  figures.push(...(await idle()));
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
