// bench/plan-context: issue 14 items 3 and 7 through the built CLI. (1) `plan --local` after a
// one-file edit in a 20k-file / ~200 MB context, paired run by run (A B A B …) with `plan --local`
// after a one-file edit in a one-file context; both were applied once first (so contexts.json
// exists, as after a deploy) and the edited file's mtime is set 10 s back (a plan run a few
// seconds after saving: the edit is outside the racy window, so the run caches it and the cache
// file is written). CPU (user+sys of every thread, read by an exit hook) and wall. Target ≤ 1.2×.
// (2) Hashing of that tree as whole processes against `find | xargs sha256sum`: `node` + walk +
// hash with an empty HashCache, warm page cache and cold (every file's pages evicted with
// posix_fadvise(DONTNEED) through python3 — "not measured" when python3 is absent). Target ≥ 1×
// sha256sum's speed. Not a test: numbers, not assertions. The trees are removed afterwards.
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { generate } from "./context-hash.js";
import { median, type Figure } from "./figures.js";

const BIN = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const PAIRS = 5;
const HASH_RUNS = 3;
const CPU_HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nCPU_US "+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;
const CONFIG = "version: 1\nroom: bench\nowner: bench\nservices:\n  - tag: web:1\n    build: ./app\n";

interface Run {
  cpuMs: number;
  wallMs: number;
}

function cli(dir: string, args: string[]): Run {
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ["--import", CPU_HOOK, BIN, ...args], { cwd: dir, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
  const wallMs = performance.now() - t0;
  const match = /CPU_US (\d+)/.exec(result.stderr);
  if (result.status !== 0 && result.status !== 2) throw new Error(`meshdeploy ${args.join(" ")} in ${dir} exited ${result.status}: ${result.stderr}`);
  if (match === null) throw new Error(`no CPU figure from meshdeploy ${args.join(" ")}: ${result.stderr}`);
  return { cpuMs: Number(match[1]) / 1000, wallMs };
}

/** Appends to `file` and sets its mtime 10 s back, as an edit saved a few seconds before the plan. */
function edit(file: string, n: number): void {
  appendFileSync(file, `edit ${n}\n`);
  const stamp = Date.now() / 1000 - 10;
  utimesSync(file, stamp, stamp);
}

function project(dir: string): string {
  mkdirSync(path.join(dir, "app"), { recursive: true });
  writeFileSync(path.join(dir, ".meshdeploy.yaml"), CONFIG);
  writeFileSync(path.join(dir, "app", "Dockerfile"), "FROM scratch\nCOPY . /app\n");
  return path.join(dir, "app");
}

/** `node` + walk + hash (empty HashCache) of `root`, as one process, ms wall. */
function meshdeployHash(root: string): number {
  const script = `import { walkContext } from ${JSON.stringify(`${DIST}build-context/context-files.js`)}; import { hashContext, HashCache } from ${JSON.stringify(`${DIST}build-context/context-hash.js`)}; const w = await walkContext(process.argv[1]); await hashContext(w.root, w.entries, { cache: new HashCache() });`;
  const t0 = performance.now();
  execFileSync(process.execPath, ["--input-type=module", "-e", script, root]);
  return performance.now() - t0;
}

function sha256sum(root: string): number {
  const t0 = performance.now();
  execFileSync("bash", ["-c", 'find "$1" -type f -print0 | xargs -0 sha256sum > /dev/null', "bench", root]);
  return performance.now() - t0;
}

const EVICT = `import os, sys
for d, _, fs in os.walk(sys.argv[1]):
    for f in fs:
        fd = os.open(os.path.join(d, f), os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)`;

/** Drops the tree's pages from the page cache; false when python3 is not there to do it. */
function evict(root: string): boolean {
  try {
    execFileSync("python3", ["-c", EVICT, root], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function hasSha256sum(): boolean {
  return spawnSync("sha256sum", ["--version"], { stdio: "ignore" }).status === 0;
}

export interface PlanContextResult {
  files: number;
  bytes: number;
  big: Run[];
  small: Run[];
  firstBig: Run;
  warm: { meshdeploy: number[]; sha256sum: number[] } | null;
  cold: { meshdeploy: number[]; sha256sum: number[] } | null;
}

export async function main(): Promise<PlanContextResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-bench-plan-ctx-"));
  try {
    const bigApp = project(path.join(dir, "big"));
    const { files, bytes } = generate(bigApp);
    const smallApp = project(path.join(dir, "small"));
    writeFileSync(path.join(smallApp, "one.txt"), "one\n");
    console.log(`plan-context: ${files} files, ${(bytes / 1e6).toFixed(1)} MB in ${bigApp}`);
    const firstBig = cli(path.join(dir, "big"), ["plan", "--local"]); // page cache warm from generating, hash cache empty
    cli(path.join(dir, "big"), ["apply", "--local", "--no-wait", "--yes"]);
    cli(path.join(dir, "small"), ["apply", "--local", "--no-wait", "--yes"]);
    console.log(`  first plan, empty hash cache: ${firstBig.cpuMs.toFixed(0)} ms CPU, ${firstBig.wallMs.toFixed(0)} ms wall`);

    const big: Run[] = [];
    const small: Run[] = [];
    for (let i = 0; i < PAIRS; i += 1) {
      edit(path.join(bigApp, `d${String((3 * i) % 20).padStart(2, "0")}`, `e${i % 10}`, `f${String(1000 + 20 * i + ((3 * i) % 20)).padStart(5, "0")}.bin`), i);
      big.push(cli(path.join(dir, "big"), ["plan", "--local"]));
      edit(path.join(smallApp, "one.txt"), i);
      small.push(cli(path.join(dir, "small"), ["plan", "--local"]));
      const b = big[i]!;
      const s = small[i]!;
      console.log(`  pair ${i + 1}: 20k ${b.cpuMs.toFixed(0)} ms CPU / ${b.wallMs.toFixed(0)} wall, one-file ${s.cpuMs.toFixed(0)} / ${s.wallMs.toFixed(0)}: ${(b.cpuMs / s.cpuMs).toFixed(2)}x CPU, ${(b.wallMs / s.wallMs).toFixed(2)}x wall`);
    }
    const ratio = (pick: (r: Run) => number): number => median(big.map((b, i) => pick(b) / pick(small[i]!)));
    console.log(`  plan after a one-file edit, 20k vs one-file context: ${ratio((r) => r.cpuMs).toFixed(2)}x CPU, ${ratio((r) => r.wallMs).toFixed(2)}x wall (median of paired ratios; target <= 1.2x)`);

    let warm: PlanContextResult["warm"] = null;
    let cold: PlanContextResult["cold"] = null;
    if (!hasSha256sum()) console.log("  hashing vs sha256sum: not measured (sha256sum is not installed)");
    else {
      warm = { meshdeploy: [], sha256sum: [] };
      for (let i = 0; i < HASH_RUNS; i += 1) {
        warm.sha256sum.push(sha256sum(bigApp));
        warm.meshdeploy.push(meshdeployHash(bigApp));
      }
      const mb = bytes / 1e6;
      const line = (label: string, m: number[], s: number[]): void =>
        console.log(`  ${label}: meshdeploy ${median(m).toFixed(0)} ms (${(mb / (median(m) / 1000)).toFixed(0)} MB/s), sha256sum ${median(s).toFixed(0)} ms: ${(median(s) / median(m)).toFixed(2)}x sha256sum's speed (target >= 1x)`);
      line("hash, warm page cache", warm.meshdeploy, warm.sha256sum);
      if (!evict(bigApp)) console.log("  hash, cold page cache: not measured (python3 is needed to evict the files' pages)");
      else {
        cold = { meshdeploy: [], sha256sum: [] };
        for (let i = 0; i < HASH_RUNS; i += 1) {
          evict(bigApp);
          cold.sha256sum.push(sha256sum(bigApp));
          evict(bigApp);
          cold.meshdeploy.push(meshdeployHash(bigApp));
        }
        line("hash, cold page cache", cold.meshdeploy, cold.sha256sum);
      }
    }
    return { files, bytes, big, small, firstBig, warm, cold };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const title = "Plan of a large context, and hashing vs sha256sum";

export function figures(r: PlanContextResult): Figure[] {
  const context = `${r.files.toLocaleString("en-US")} files, ${(r.bytes / 1e6).toFixed(0)} MB`;
  const mbps = (ms: number): number => r.bytes / 1e6 / (ms / 1000);
  const out: Figure[] = [
    {
      group: "Plan of a large context",
      name: `plan --local after a one-file edit (${context}): process CPU`,
      unit: "ms",
      runs: r.big.map((x) => x.cpuMs),
      baseline: { name: "the same in a one-file context", runs: r.small.map((x) => x.cpuMs) },
      comparison: "times",
      note: "target ≤ 1.2×; paired runs",
    },
    {
      group: "Plan of a large context",
      name: `plan --local after a one-file edit (${context}): wall`,
      unit: "ms",
      runs: r.big.map((x) => x.wallMs),
      baseline: { name: "the same in a one-file context", runs: r.small.map((x) => x.wallMs) },
      comparison: "times",
    },
    { group: "Plan of a large context", name: "first plan of it, empty hash cache: process CPU", unit: "ms", runs: [r.firstBig.cpuMs] },
  ];
  for (const [label, runs] of [["warm", r.warm], ["cold", r.cold]] as const) {
    if (runs === null) continue;
    out.push({
      group: "Plan of a large context",
      name: `hash of the tree as a process (node + walk + hash), ${label} page cache`,
      unit: "MB/s",
      runs: runs.meshdeploy.map(mbps),
      baseline: { name: "find | xargs sha256sum", runs: runs.sha256sum.map(mbps) },
      comparison: "times",
      note: "target ≥ 1×",
    });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
