// bench/startup: CPU time (user+sys, read by an exit hook in the process: start-up and the command, not the teardown) of the built binary's
// `--version`, `--help` and `validate` of the repository's config, each paired run by run with
// `node -e 0` (A B A B …), so the ratio holds while a shared machine's speed drifts. Targets
// (issue 14): --version and --help ≤ 1.5× node -e 0; validate ≤ 3×. Not a test: numbers only.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Figure } from "./figures.js";

const BIN = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = 7;

/** Loaded first: prints the process's user+sys CPU at exit (start-up and the command; not the teardown after it). */
const CPU_HOOK = `data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();process.stderr.write("\\nCPU_US "+(u.userCPUTime+u.systemCPUTime)+"\\n")})`;

/** CPU ms of one process, measured by the same hook for the command and for node -e 0 (microsecond resolution). */
function cpuMs(args: string[]): number {
  const result = spawnSync(process.execPath, ["--import", CPU_HOOK, ...args], { cwd: ROOT, encoding: "utf8", env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
  const match = /CPU_US (\d+)/.exec(result.stderr);
  if (match === null) throw new Error(`no CPU figure from ${args.join(" ")}: ${result.stderr}`);
  return Number(match[1]) / 1000;
}

export async function main(): Promise<Figure[]> {
  const cases: [string, string[], string][] = [
    ["--version", [BIN, "--version"], "target ≤ 1.5×"],
    ["--help", [BIN, "--help"], "target ≤ 1.5×"],
    ["validate (repo config)", [BIN, "validate", "-f", ".meshdeploy.yaml"], "target ≤ 3×"],
  ];
  const figures: Figure[] = [];
  for (const [name, args, note] of cases) {
    cpuMs(args); // warm-up (page cache)
    const runs: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      runs.push(cpuMs(args));
      floor.push(cpuMs(["-e", "0"]));
    }
    console.log(`${name}: ${runs.map((v) => v.toFixed(0)).join(" ")} ms CPU vs node -e 0 ${floor.map((v) => v.toFixed(0)).join(" ")}`);
    figures.push({ group: "Start-up", name: `${name}: process CPU`, unit: "ms", runs, baseline: { name: "node -e 0", runs: floor }, comparison: "times", note });
  }
  return figures;
}
