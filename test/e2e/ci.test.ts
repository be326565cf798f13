// End to end for CI and GitOps use: the built binary (dist/cli/main.js, built by `npm test`) run
// like a CI job would run it — no TTY, GitHub's environment variables — and the action.yml run
// step executed by bash with that binary. Everything uses --local and loopback only.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { initRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
const ACTION = fileURLToPath(new URL("../../action.yml", import.meta.url));
const README = fileURLToPath(new URL("../../README.md", import.meta.url));

/** No NO_COLOR here on purpose: a pipe is not a terminal, so there must be no colour anyway. */
function run(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8", timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const CONFIG = `version: 1
room: ci
owner: ci
services:
  - tag: acme/web:\${TAG:-1}
    env: {APP_ENV: ci}
`;

describe("CI output", () => {
  const tempDir = suiteTempDirs("ci");
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG);
  });

  it("plan --output markdown; the step summary gets the same Markdown; no colour without a TTY", async () => {
    const summary = path.join(dir, "summary.md");
    const r = run(["plan", "--local", "--output", "markdown", "--detailed-exitcode"], dir, { GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(/\u001b\[/.test(r.stdout + r.stderr), false);
    assert.match(r.stdout, /^### meshdeploy plan\n\n\*\*Plan: 1 to create, 0 to update, 0 to delete, 0 unchanged\.\*\*\n/);
    assert.match(r.stdout, /\| \*\*create\*\* \| `acme-web` \| `acme\/web:1` \| not present in room ci \(never deployed, or deleted outside meshdeploy\) \|/);
    assert.equal(await readFile(summary, "utf8"), `${r.stdout.trimEnd()}\n\n`);
  });

  it("under GitHub Actions a config error is also an ::error annotation on its line", async () => {
    await writeFile(path.join(dir, "bad.yaml"), "version: 1\nroom: ci\nservices:\n  - tag: web:${RELEASE:?set RELEASE}\n");
    const summary = path.join(dir, "config-error-summary.md");
    const r = run(["plan", "--local", "-f", "bad.yaml"], dir, { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trim(), "::error file=bad.yaml,line=4,col=14,title=meshdeploy%3A interpolation::required variable `RELEASE` is not set: set RELEASE%0Ahint: set RELEASE in the environment");
    assert.match(r.stderr, /bad\.yaml:4:14/);
    // The run's page says why too: the step summary lists the errors.
    assert.equal(
      await readFile(summary, "utf8"),
      "### meshdeploy plan\n\n**1 error in the configuration; nothing was changed.**\n\n- `bad.yaml:4:14` required variable \\`RELEASE\\` is not set: set RELEASE — hint: set RELEASE in the environment\n\n",
    );
    assert.equal(run(["validate", "-f", "bad.yaml"], dir).stdout, "");
  });

  it("plan --out and apply PLAN.json with --local; the same plan again is refused", () => {
    const planned = run(["plan", "--local", "--out", "plan.json"], dir, { TAG: "7" });
    assert.equal(planned.code, 0, planned.stderr);
    const applied = run(["apply", "plan.json", "--local", "--no-wait"], dir, { TAG: "7" });
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /✓ acme-web created/);
    const again = run(["apply", "plan.json", "--local", "--no-wait"], dir, { TAG: "7" });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /stale; nothing was changed:\n {2}live: acme-web in room ci \(create\): the plan creates it, but it exists now/);
    // The target is part of the plan: a plan made with --local applies there without the flag.
    assert.equal(run(["plan", "--local", "--out", "next.json"], dir, { TAG: "8" }).code, 0);
    const implied = run(["apply", "next.json", "--no-wait"], dir, { TAG: "8" });
    assert.equal(implied.code, 0, implied.stderr);
    assert.match(implied.stdout, /✓ acme-web updated/);
  });
});

describe("sync and the GitHub Action", () => {
  const tempDir = suiteTempDirs("e2e-sync");
  let dir: string;
  let url: string;
  before(async () => {
    dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    url = `file://${path.join(dir, "origin.git")}`;
    const work = await initRepo(path.join(dir, "work"));
    await work.git.addRemote("origin", url);
    await work.commit({ "deploy/.meshdeploy.yaml": CONFIG.replace("room: ci", "room: gitops") }, "first deploy");
    await work.git.push("origin", "main");
  });

  it("sync --once --local reconciles the branch head and logs the commit", () => {
    const r = run(["sync", "--repo", url, "--ref", "main", "--path", "deploy/.meshdeploy.yaml", "--once", "--local", "--no-wait"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z commit [0-9a-f]{7} first deploy: applied \(1 created, 0 updated, 0 deleted\)\n/);
    const again = run(["sync", "--repo", url, "--ref", "main", "--path", "deploy/.meshdeploy.yaml", "--once", "--local"], dir);
    assert.match(again.stdout, /^\S+Z commit [0-9a-f]{7} first deploy: up to date \(1 service\)\n$/);
    assert.match(run(["sync", "--local"], dir).stderr, /--repo URL is required/);
    assert.match(run(["sync", "--repo", url, "--path", "../x.yaml", "--once"], dir).stderr, /--path must name a file inside the repository/);
    const faults = run(["sync", "--repo", `${url}-missing`, "--faults", "5xx=0.1", "--once"], dir);
    assert.equal(faults.code, 1);
    assert.match(faults.stderr, /--faults injects faults into the embedded local room: add --local/);
  });

  it("sync runs until Ctrl-C and exits 130", async () => {
    const child = spawn(process.execPath, [BIN, "sync", "--repo", url, "--ref", "main", "--path", "deploy/.meshdeploy.yaml", "--interval", "3600", "--local"], {
      cwd: dir,
      env: { PATH: process.env["PATH"] ?? "" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no cycle logged: ${out}`)), 30_000);
      child.stdout.on("data", () => {
        if (/^\S+Z commit [0-9a-f]{7} first deploy: /m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    assert.equal(await exit, 130);
    assert.match(out, /sync stopped\.\n$/);
  });

  it("action.yml is a composite action whose run step runs meshdeploy and reports its exit code", async () => {
    const action = parse(await readFile(ACTION, "utf8"));
    assert.equal(action.runs.using, "composite");
    assert.deepEqual(Object.keys(action.inputs).sort(), ["args", "command", "file", "node-version", "working-directory"]);
    // Inputs reach scripts only through env: no ${{ inputs.* }} inside any `run:`.
    for (const step of action.runs.steps) if (step.run) assert.equal(/\$\{\{\s*inputs\./.test(step.run), false, step.name);

    const step = action.runs.steps.find((s: { id?: string }) => s.id === "run");
    const output = path.join(dir, "github-output");
    const work = path.join(dir, "work", "deploy");
    // Exactly as GitHub runs a `shell: bash` step: the script in a file, under -e and pipefail.
    const script = path.join(dir, "run-step.sh");
    await writeFile(script, step.run);
    const exec = (command: string, args: string) =>
      spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
        cwd: work,
        encoding: "utf8",
        timeout: 60_000,
        env: { PATH: process.env["PATH"] ?? "", GITHUB_OUTPUT: output, MESHDEPLOY_BIN: BIN, INPUT_COMMAND: command, INPUT_FILE: ".meshdeploy.yaml", INPUT_ARGS: args },
      });
    await writeFile(output, "");
    const planned = exec("plan", "--local  --detailed-exitcode");
    assert.equal(planned.status, 0, planned.stderr);
    assert.match(planned.stdout, /Plan: 1 to create/);
    const unknown = exec("destroy", "");
    assert.equal(unknown.status, 1);
    assert.match(unknown.stdout, /::error title=meshdeploy::unknown command "destroy"/);
    const validated = exec("validate", "");
    assert.equal(validated.status, 0, validated.stderr);
    const multiline = exec("plan", "--local\n--detailed-exitcode\n");
    assert.equal(multiline.status, 0, multiline.stderr);
    const failed = exec("plan", "--local --no-such-flag");
    assert.equal(failed.status, 1);
    assert.equal(await readFile(output, "utf8"), "exit-code=2\nexit-code=0\nexit-code=2\nexit-code=1\n", "every run reports its code, even a failing one");
  });

  it("the README's workflow plans on pull requests and applies on main with this action's inputs", async () => {
    const readme = await readFile(README, "utf8");
    const block = /```yaml\n(# \.github\/workflows\/deploy\.yml\n[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(block, "workflow block missing from README.md");
    const workflow = parse(block);
    const inputs = Object.keys(parse(await readFile(ACTION, "utf8")).inputs);
    const uses = (job: string) => workflow.jobs[job].steps.find((s: { uses?: string }) => s.uses?.includes("meshdeploy"));
    assert.match(workflow.jobs.plan.if, /pull_request/);
    assert.equal(uses("plan").with.command, "plan");
    assert.match(workflow.jobs.apply.if, /refs\/heads\/main/);
    assert.equal(uses("apply").with.command, "apply");
    for (const job of ["plan", "apply"]) for (const key of Object.keys(uses(job).with)) assert.ok(inputs.includes(key), `${job}: unknown input ${key}`);
  });
});
