// bench/watch-cycles: `meshdeploy watch --local` run in-process through runCli (the CLI's
// redactor and renderers, the in-process local room, chokidar), driven by editing one file of a
// 2-file build context and waiting for each cycle's closing line. Prints:
//  - flatness over N cycles (`--no-wait --debounce 50`, as the audit measured it; N from
//    MESHDEPLOY_BENCH_WATCH_CYCLES, default 300 to fit `npm run bench` in a few minutes; the
//    audit's figure is at 2,000): CPU ms per cycle (process.cpuUsage, the room included, less GC
//    pauses: see cpuOf) in the
//    last 10 % of cycles against the first 10 % after a warm-up, and the heap after a full GC
//    before the first tenth, before the last tenth and at the end, as bytes per cycle (target:
//    ratio ~1.0, heap growth ~0); and, paired in time, CPU per cycle of that aged session taking
//    turns with a new one (its own room, redactor and watcher) — growth of a session shows there,
//    a shared machine's drift does not;
//  - a cycle with the default wait (a port with a liveness path: green only once it is `ready`)
//    against the same cycle with --no-wait, paired cycle by cycle (target ≤ 500 ms; the room
//    reports the port ready 300 ms after the restart: startDelayMs + livenessDelayMs).
// Every cycle must end green, or the bench fails. Not a test: numbers, not assertions.
import { mkdirSync, writeFileSync } from "node:fs";
import { mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance, PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import type { Io } from "../src/cli/io.js";
import { runCli } from "../src/cli/run.js";
import { median, type Figure } from "./figures.js";

export const title = "Watch over many cycles";

const GROUP = "Watch cycles";
const CYCLES = Number(process.env["MESHDEPLOY_BENCH_WATCH_CYCLES"] ?? 300);
const WARMUP = 20;
const WAIT_CYCLES = 8;
const PAIRED = 40;
const CYCLE_END = /^[✓✗] cycle (\d+) /;

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

interface Watch {
  /** Edits the context, waits for the cycle it starts to end; its closing line and wall ms. */
  cycle(): Promise<{ line: string; ms: number }>;
  stop(): Promise<void>;
}

async function startWatch(args: string[]): Promise<Watch> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-cycles-")));
  mkdirSync(path.join(dir, "web"));
  writeFileSync(path.join(dir, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: bench\nservices:\n  - tag: web:1\n    build: ./web\n    ports: [{num: 8000, type: http, liveness: /health}]\n");
  writeFileSync(path.join(dir, "web/Dockerfile"), 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/app.js"]\n');
  writeFileSync(path.join(dir, "web/app.js"), "console.log(0)\n");
  const stop = new AbortController();
  let started = 0;
  let ended: { cycle: number; line: string; at: number } | null = null;
  let wake: (() => void) | null = null;
  const seen = (line: string): void => {
    if (line.startsWith("▶ cycle")) started = performance.now();
    const end = CYCLE_END.exec(line);
    if (end === null) return;
    ended = { cycle: Number(end[1]), line, at: performance.now() };
    wake?.();
  };
  const io: Io = { out: seen, err: seen, env: { PATH: process.env["PATH"] ?? "" }, cwd: dir, colour: false, interactive: false, confirm: async () => false, signal: stop.signal };
  const running = runCli(["watch", "--local", ...args], io);
  const nextEnd = async (after: number): Promise<{ line: string; at: number }> => {
    const deadline = performance.now() + 60_000;
    while (ended === null || ended.cycle <= after) {
      if (performance.now() > deadline) throw new Error(`bench/watch-cycles: no end of cycle ${after + 1} within 60 s`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 1000);
      });
    }
    if (!ended.line.startsWith("✓")) throw new Error(`bench/watch-cycles: cycle ${ended.cycle} did not end green: ${ended.line}`);
    return ended;
  };
  await nextEnd(0);
  let cycle = 1;
  let edit = 0;
  return {
    async cycle() {
      edit += 1;
      await writeFile(path.join(dir, "web/app.js"), `console.log(${edit})\n`);
      const end = await nextEnd(cycle);
      cycle += 1;
      return { line: end.line, ms: end.at - started };
    },
    async stop() {
      stop.abort();
      const code = await running;
      await rm(dir, { recursive: true, force: true });
      if (code !== 130) throw new Error(`bench/watch-cycles: watch exited ${code}`);
    },
  };
}

function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** GC pause ms so far in this process (perf_hooks "gc" entries). */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

/**
 * CPU ms of one cycle (process.cpuUsage: the whole process, the in-process room included) less
 * the GC pauses in it: a major GC comes every other cycle or so and lands on whichever cycle runs
 * then, whoever made the garbage; memory is measured on its own (the heap after GC).
 */
async function cpuOf(watch: Watch): Promise<number> {
  const before = process.cpuUsage();
  const gcBefore = gcMs;
  await watch.cycle();
  await new Promise((resolve) => setImmediate(resolve)); // the observer's entries are delivered
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 - (gcMs - gcBefore);
}

async function flatness(): Promise<Figure[]> {
  const aged = await startWatch(["--no-wait", "--debounce", "50"]);
  let fresh: Watch | null = null;
  const cpu: number[] = [];
  const tenth = Math.max(1, Math.floor(CYCLES / 10));
  // A full GC only here: right before the first and the last tenth (so both start alike) and at the
  // end. A forced GC also drops compiled code, so sampling more often would cost the cycles after it.
  const heap: { cycle: number; bytes: number }[] = [];
  const agedPaired: number[] = [];
  const freshPaired: number[] = [];
  const t0 = performance.now();
  try {
    for (let i = 0; i < WARMUP; i += 1) await aged.cycle();
    for (let i = 1; i <= CYCLES; i += 1) {
      if (i === 1 || i === CYCLES - tenth + 1) heap.push({ cycle: i - 1, bytes: heapAfterGc() });
      cpu.push(await cpuOf(aged));
    }
    heap.push({ cycle: CYCLES, bytes: heapAfterGc() });
    // The same cycle in a new session (its own room, redactor, watcher), taking turns with the aged
    // one: paired in time, so the machine's drift cancels out of the ratio.
    fresh = await startWatch(["--no-wait", "--debounce", "50"]);
    for (let i = 0; i < WARMUP; i += 1) await fresh.cycle();
    // A B B A A B …: a major GC comes about every other cycle, so a fixed order would hand it to one side.
    for (let i = 0; i < PAIRED; i += 1) {
      if (i % 2 === 0) {
        agedPaired.push(await cpuOf(aged));
        freshPaired.push(await cpuOf(fresh));
      } else {
        freshPaired.push(await cpuOf(fresh));
        agedPaired.push(await cpuOf(aged));
      }
    }
  } finally {
    await aged.stop();
    await fresh?.stop();
  }
  const first = cpu.slice(0, tenth);
  const last = cpu.slice(-tenth);
  const [h0, h1] = [heap[0]!, heap.at(-1)!];
  const perCycle = (h1.bytes - h0.bytes) / Math.max(1, h1.cycle - h0.cycle);
  const wall = (performance.now() - t0) / (CYCLES + 2 * WARMUP + 2 * PAIRED);
  const mb = (b: number): string => (b / 1e6).toFixed(2);
  const ratio = (a: number[], b: number[]): string => (median(a) / median(b)).toFixed(2);
  console.log(`  ${CYCLES} cycles (--no-wait, debounce 50 ms; ${WARMUP} warm-up cycles first), ${wall.toFixed(0)} ms wall per cycle`);
  console.log(`    CPU per cycle, taking turns with a new session after them (${PAIRED} pairs): ${median(agedPaired).toFixed(1)} ms vs ${median(freshPaired).toFixed(1)} ms → ratio ${ratio(agedPaired, freshPaired)} (target ~1.0)`);
  console.log(`    CPU per cycle: first 10 % ${median(first).toFixed(1)} ms, last 10 % ${median(last).toFixed(1)} ms → ratio ${ratio(last, first)} (not paired: a shared machine's drift shows here)`);
  console.log(`    heap after GC: ${heap.map((h) => `c${h.cycle} ${mb(h.bytes)}`).join(", ")} MB; ${perCycle.toFixed(0)} B per cycle (target ~0)`);
  return [
    { group: GROUP, name: `CPU per cycle after ${CYCLES} cycles (--no-wait), ${PAIRED} cycles taking turns with a new session`, unit: "ms", runs: agedPaired, baseline: { name: "the new session's cycles", runs: freshPaired }, comparison: "times", note: "target ~1.0×" },
    { group: GROUP, name: `CPU per cycle, last 10 % of ${CYCLES} cycles (--no-wait)`, unit: "ms", runs: last, baseline: { name: "the first 10 %", runs: first }, comparison: "times", note: "target ~1.0×; not paired in time" },
    { group: GROUP, name: `heap after GC at cycle ${h1.cycle}`, unit: "MB", runs: [h1.bytes / 1e6], baseline: { name: `at cycle ${h0.cycle}`, runs: [h0.bytes / 1e6] }, comparison: "times", note: `${perCycle.toFixed(0)} B per cycle; target ~1.0×` },
  ];
}

async function waitCycle(): Promise<Figure[]> {
  const waiting = await startWatch(["--debounce", "50"]);
  const free = await startWatch(["--no-wait", "--debounce", "50"]);
  const withWait: number[] = [];
  const noWait: number[] = [];
  try {
    for (let i = 0; i < WAIT_CYCLES; i += 1) {
      withWait.push((await waiting.cycle()).ms);
      noWait.push((await free.cycle()).ms);
    }
  } finally {
    await waiting.stop();
    await free.stop();
  }
  console.log(`  cycle with the default wait (liveness port ready 300 ms after the restart): median ${median(withWait).toFixed(0)} ms, max ${Math.max(...withWait).toFixed(0)} ms (target ≤ 500 ms); --no-wait ${median(noWait).toFixed(0)} ms`);
  return [
    { group: GROUP, name: `cycle with the default wait, small context (${WAIT_CYCLES} cycles)`, unit: "ms", runs: withWait, baseline: { name: "--no-wait", runs: noWait }, comparison: "times", note: "target ≤ 500 ms; the room's own start + liveness delay is 300 ms" },
  ];
}

export async function main(): Promise<Figure[]> {
  console.log("bench/watch-cycles: watch --local in-process through runCli");
  const figures = await waitCycle();
  figures.push(...(await flatness()));
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
