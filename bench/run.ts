// `npm run bench`: runs every benchmark in bench/ — each module here with a `main()`, in a fixed
// order for the known ones, then any other — one after the other, prints their numbers as they
// go, and writes BENCHMARKS.md (machine, date, each figure as the median of its runs with its
// ratio to its baseline). A benchmark's section text is its header comment; its figures come
// from its `figures(result)` export, or from `main()` returning Figures; a benchmark with
// neither (or one that fails) is reported with its printed lines. `npm run bench -- NAME…` runs
// only those and leaves BENCHMARKS.md alone.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import type { Figure } from "./figures.js";
import { describeMachine, headerMarkdown, renderReport, type Section } from "./report.js";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const REPORT = fileURLToPath(new URL("../BENCHMARKS.md", import.meta.url));
/** Support modules, not benchmarks. */
const SUPPORT = new Set(["run.ts", "figures.ts", "report.ts", "desired.ts"]);
/** The known benchmarks' order (one a line, so branches adding one merge cleanly); others run after, by name. */
const ORDER = [
  "noop-reconcile",
  "noop-health",
  "context-hash",
  "plan-context",
  "watch",
  "watch-cycles",
  "plan-memory",
  "noop-plan",
  "local-room",
  "startup",
];

interface BenchModule {
  main: () => Promise<unknown>;
  title?: string;
  figures?: (result: never) => Figure[];
}

function benchNames(): string[] {
  const names = readdirSync(BENCH_DIR)
    .filter((file) => file.endsWith(".ts") && !file.startsWith("_") && !file.endsWith(".d.ts") && !SUPPORT.has(file))
    .map((file) => file.slice(0, -3));
  const rank = (name: string): number => (ORDER.includes(name) ? ORDER.indexOf(name) : ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function isFigures(value: unknown): value is Figure[] {
  return Array.isArray(value) && value.length > 0 && value.every((f) => typeof f === "object" && f !== null && typeof f.name === "string" && Array.isArray(f.runs));
}

/** Runs `fn`, echoing and keeping every console.log line it prints; console.log is restored after. */
async function capturing<T>(fn: () => Promise<T>): Promise<{ value: T; printed: string[] }> {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(args.map(String).join(" "));
    original(...args);
  };
  try {
    return { value: await fn(), printed };
  } finally {
    console.log = original;
  }
}

async function runOne(name: string): Promise<Section> {
  const started = performance.now();
  const about = headerMarkdown(name, readFileSync(`${BENCH_DIR}${name}.ts`, "utf8"));
  let printed: string[] = [];
  try {
    const module = (await import(`./${name}.js`)) as BenchModule;
    if (typeof module.main !== "function") return { title: name, about, figures: [], missing: "the module exports no main()", seconds: 0 };
    const run = await capturing(() => module.main());
    printed = run.printed;
    const figures = module.figures ? module.figures(run.value as never) : isFigures(run.value) ? run.value : [];
    return { title: module.title ?? name, about, figures, ...(figures.length === 0 ? { printed } : {}), seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    console.error(`bench/${name} failed: ${(error as Error).stack ?? String(error)}`);
    return { title: name, about, figures: [], printed, missing: `it failed: ${(error as Error).message}`, seconds: (performance.now() - started) / 1000 };
  }
}

function commit(): string | null {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: BENCH_DIR, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

const wanted = process.argv.slice(2);
const names = benchNames().filter((name) => wanted.length === 0 || wanted.includes(name));
const unknown = wanted.filter((name) => !benchNames().includes(name));
if (unknown.length > 0) throw new Error(`no benchmark named ${unknown.join(", ")} in bench/ (have: ${benchNames().join(", ")})`);
const sections: Section[] = [];
for (const name of names) {
  console.log(`\n▶ bench/${name}`);
  sections.push(await runOne(name));
}
// What each took, so the suite's few-minute budget can be kept.
const total = sections.reduce((sum, section) => sum + section.seconds, 0);
console.log(`\n${sections.map((section) => `${section.title}: ${section.seconds.toFixed(0)} s`).join("\n")}\nall benchmarks: ${total.toFixed(0)} s`);
if (wanted.length === 0) {
  writeFileSync(REPORT, renderReport(sections, describeMachine(), new Date(), commit()));
  console.log(`\nwrote ${REPORT}`);
}
if (sections.some((section) => section.missing !== undefined)) process.exitCode = 1;
