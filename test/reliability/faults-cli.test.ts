// The fault flag and env var through the CLI: `local serve --faults` (the fault sequence runs on
// across client runs) with `apply` re-run by the built binary until it converges; `--faults` and
// MESHDEPLOY_LOCAL_FAULTS on `--local`; malformed specs and --faults without --local refused
// before anything starts.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { finished, runBinary, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { runInProcess } from "../helpers/capture-io.js";
import { suiteTempDirs, testTempDir } from "../helpers/temp-dirs.js";
import { servicesYaml } from "./helpers.js";

const FAULTS = "5xx=0.08,429=0.04,drop=0.08,latency=0-2ms,retry-after=0,seed=11";

describe("fault injection from the command line", { timeout: 180_000 }, () => {
  const tempDir = suiteTempDirs("faults-cli");
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), servicesYaml(20, { owner: "faultcli" }));
  });

  it("local serve --faults: apply converges over re-runs, then plan --detailed-exitcode is 0", async () => {
    const server = spawnBinary(["local", "serve", "--port", "0", "--room", "dev", "--faults", FAULTS], dir);
    const exited = finished(server);
    try {
      const banner = await waitForOutput(server, /injecting faults \(replay with --faults "[^"]+"\)/);
      assert.match(banner, /replay with --faults "5xx=0\.08,429=0\.04,drop=0\.08,latency=0-2ms,after=0\.5,retry-after=0,scope=all,seed=11"/);
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1]!;
      const token = (await readFile(path.join(dir, ".meshdeploy/local/token"), "utf8")).trim();
      const env = { MESHAGENT_API_URL: url, MESHAGENT_API_KEY: token, MESHAGENT_PROJECT_ID: "local" };
      const runs: string[] = [];
      let code = -1;
      for (let run = 1; run <= 6 && code !== 0; run += 1) {
        const result = runBinary(["apply", "--yes"], dir, env);
        code = result.code;
        runs.push(`run ${run}: exit ${code}\n${result.stdout.split("\n").filter((l) => /Apply|error|✗/.test(l)).join("\n")}${result.stderr}`);
      }
      assert.equal(code, 0, runs.join("\n"));
      console.log(runs.join("\n"));
      const plan = runBinary(["plan", "--detailed-exitcode"], dir, env);
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);
      assert.match(runs.join("\n") + plan.stdout, /injected fault|Apply|No changes/);
    } finally {
      server.kill("SIGINT");
      assert.equal((await exited).code, 130);
    }
  });

  it("--local --faults and MESHDEPLOY_LOCAL_FAULTS inject faults into the in-process room and say so", async (t) => {
    const work = testTempDir(t, "faults-local");
    await writeFile(path.join(work, ".meshdeploy.yaml"), servicesYaml(2, { owner: "faultlocal" }));
    const flagged = await runInProcess(["plan", "--local", "--faults", "429=1,retry-after=0,seed=5"], { cwd: work });
    assert.equal(flagged.code, 1);
    assert.match(flagged.stderr, /local room: injecting faults \(replay with --faults "5xx=0,429=1,drop=0,latency=0ms,after=0\.5,retry-after=0,scope=all,seed=5"\)/);
    assert.match(flagged.stderr, /→ 429: injected fault: too many requests, retry later/);
    const fromEnv = await runInProcess(["plan", "--local"], { cwd: work, env: { MESHDEPLOY_LOCAL_FAULTS: "429=1,retry-after=0" } });
    assert.equal(fromEnv.code, 1);
    assert.match(fromEnv.stderr, /injecting faults .*seed=\d+/, "a seed is picked and shown when none is given");
    const clean = await runInProcess(["plan", "--local", "--faults", "off", "--detailed-exitcode"], { cwd: work, env: { MESHDEPLOY_LOCAL_FAULTS: "429=1" } });
    assert.equal(clean.code, 2, clean.stderr);
    assert.doesNotMatch(clean.stderr, /injecting faults/);
  });

  it("refuses a malformed spec and --faults without --local before starting anything", async (t) => {
    const work = testTempDir(t, "faults-bad");
    await writeFile(path.join(work, ".meshdeploy.yaml"), servicesYaml(1, { owner: "faultbad" }));
    const bad = await runInProcess(["apply", "--local", "--faults", "5xx=2"], { cwd: work });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /error: --faults: Expected a rate between 0 and 1 \(or 0%–100%\) for 5xx, got "2"/);
    assert.match(bad.stderr, /hint: fault injection takes 5xx=RATE/);
    const badEnv = await runInProcess(["plan", "--local"], { cwd: work, env: { MESHDEPLOY_LOCAL_FAULTS: "drop" } });
    assert.match(badEnv.stderr, /error: MESHDEPLOY_LOCAL_FAULTS: Expected KEY=VALUE, got "drop"/);
    const serve = await runInProcess(["local", "serve", "--port", "0", "--faults", "scope=web"], { cwd: work });
    assert.equal(serve.code, 1);
    assert.match(serve.stderr, /Expected all, rest or rpc for scope/);
    const remote = await runInProcess(["plan", "--faults", "5xx=0.1"], { cwd: work, env: { MESHAGENT_API_KEY: "k".repeat(20), MESHAGENT_PROJECT_ID: "p" } });
    assert.equal(remote.code, 1);
    assert.match(remote.stderr, /--faults injects faults into the embedded local room: add --local/);
    assert.equal(existsSync(path.join(work, ".meshdeploy", "local", "state.json")), false, "no local room was started");
  });
});
