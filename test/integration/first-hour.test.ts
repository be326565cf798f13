// The new-user audit (shared/audits/2026-12-new-user.md) item by item, through runCli in-process
// against the embedded local room: each test reproduces a reported defect and fails without its fix.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { captureIo, runInProcess } from "../helpers/capture-io.js";
import { runCli } from "../../src/cli/run.js";
import { waitFor } from "../helpers/wait.js";
import { testTempDir } from "../helpers/temp-dirs.js";

const SIMPLE = ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: fh/api:1", "    env: {A: \"1\"}", ""].join("\n");

describe("the first hour (new-user audit)", { timeout: 120_000 }, () => {
  it("defect 16: --local keeps its room beside the config, not in the current directory, and prints the path", async (t) => {
    const dir = testTempDir(t, "fh-local");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), SIMPLE);
    const sub = path.join(dir, "examples");
    await mkdir(sub);
    const applied = await runInProcess(["apply", "--local", "--yes", "--platform", "0.39.9"], { cwd: dir });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const planned = await runInProcess(["plan", "--local", "--platform", "0.39.9", "-f", "../.meshdeploy.yaml"], { cwd: sub });
    assert.equal(planned.code, 0, planned.stdout + planned.stderr);
    assert.match(planned.stdout + planned.stderr, /No changes\./);
    assert.equal(existsSync(path.join(sub, ".meshdeploy")), false, "nothing is written under the current directory");
    const shown = path.join(dir, ".meshdeploy", "local");
    assert.ok((planned.stdout + planned.stderr).includes(`local room in-process at ${shown} (project local)`), planned.stderr);
  });

  it("defect 14: a plan problem is located, annotated under GitHub Actions and counted once", async (t) => {
    const dir = testTempDir(t, "fh-problem");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: fh/api:1", "    domain: api.example.com", ""].join("\n"));
    const planned = await runInProcess(["plan", "--local", "--platform", "0.39.9"], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir } });
    assert.equal(planned.code, 1);
    const all = planned.stdout + "\n" + planned.stderr;
    assert.match(planned.stdout, /^ {2}--> \.meshdeploy\.yaml:6:13$/m);
    assert.match(planned.stdout, /^::error file=\.meshdeploy\.yaml,line=6,col=13,title=meshdeploy%3A plan::fh-api in room dev: domain requires exactly one published service port/m);
    assert.equal(all.match(/1 problem/g)?.length, 1, all);
    assert.equal(all.includes("problem(s)"), false);
  });

  it("defect 11: `${CONTEXT_HASH}` tags by the build context's content, so an edit outside it changes nothing", async (t) => {
    const dir = testTempDir(t, "fh-ctx");
    await mkdir(path.join(dir, "web"));
    await writeFile(path.join(dir, "web", "Dockerfile"), "FROM python:3.12-slim\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n");
    await writeFile(path.join(dir, "web", "app.py"), "print(1)\n");
    await writeFile(path.join(dir, "NOTES.md"), "one\n");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: web:${CONTEXT_HASH}", "    build: ./web", ""].join("\n"));
    const run = (args: string[]) => runInProcess([...args, "--local", "--platform", "0.39.9"], { cwd: dir });
    const applied = await run(["apply", "--yes"]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const tag = /registry\.meshagent\.com\/local\/web:([0-9a-f]{12})\b/.exec(applied.stdout)?.[1];
    assert.ok(tag !== undefined, applied.stdout);
    await writeFile(path.join(dir, "NOTES.md"), "two\n");
    const untouched = await run(["plan", "--detailed-exitcode"]);
    assert.equal(untouched.code, 0, untouched.stdout + untouched.stderr);
    await writeFile(path.join(dir, "web", "app.py"), "print(2)\n");
    const touched = await run(["plan"]);
    assert.match(touched.stdout, /container\.image/);
    assert.equal(touched.stdout.includes(`web:${tag}`), true, "the old tag is shown as before");
    await writeFile(path.join(dir, "bad.yaml"), ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: api:${CONTEXT_HASH}", ""].join("\n"));
    const without = await runInProcess(["plan", "--local", "--platform", "0.39.9", "-f", "bad.yaml"], { cwd: dir });
    assert.equal(without.code, 1);
    assert.match(without.stderr, /`\$\{CONTEXT_HASH\}` in `tag:` needs a `build:` context to hash/);
  });

  it("item 18: help names --file, sync --wait-timeout, local serve --faults, and --local/--api-url in each command", async (t) => {
    const dir = testTempDir(t, "fh-help");
    const help = async (...command: string[]) => (await runInProcess([...command, "--help"], { cwd: dir })).stdout;
    for (const command of ["plan", "apply", "watch", "sync"]) {
      const text = await help(command);
      assert.match(text, /^ {2}--local {2,}target the embedded local room/m, command);
      assert.match(text, /^ {2}--api-url URL {2,}target this MeshAgent API/m, command);
    }
    for (const command of ["plan", "apply", "watch"]) assert.match(await help(command), /^ {2}-f, --file FILE/m, command);
    assert.match(await help("validate"), /\[-f \| --file FILE\]/);
    assert.match(await help("sync"), /^ {2}--wait-timeout S /m);
    assert.match(await help("local", "serve"), /\[--faults SPEC\]/);
  });

  it("item 18: -f missing.yaml has no made-up location; validate does not say nothing was changed; tag errors name `tag:`", async (t) => {
    const dir = testTempDir(t, "fh-small");
    const missing = await runInProcess(["validate", "-f", "nope.yaml"], { cwd: dir });
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.includes("-->"), false, missing.stderr);
    assert.equal(missing.stderr.includes("nothing was changed"), false, missing.stderr);
    assert.match(missing.stderr, /config file not found: .*nope\.yaml/);
    await writeFile(path.join(dir, ".meshdeploy.yaml"), ["version: 1", "room: dev", "services:", "  - tag: \"api:1.0:extra\"", "  - tag: api@sha256:0000000000000000000000000000000000000000000000000000000000000000", ""].join("\n"));
    const bad = await runInProcess(["validate"], { cwd: dir });
    assert.match(bad.stderr, /hint: a reference has one `:`, between the repository and the tag/);
    assert.match(bad.stderr, /error: `tag:` must be an OCI image reference without a digest/);
    assert.equal(bad.stderr.includes("--tag must"), false);
    const plan = await runInProcess(["plan", "--local", "-f", "nope.yaml"], { cwd: dir });
    assert.match(plan.stderr, /1 error in the configuration; nothing was changed\./);
  });

  it("item 18: unknown commands and flags close to real ones get a suggestion; -V is --version", async (t) => {
    const dir = testTempDir(t, "fh-dym");
    const aply = await runInProcess(["aply"], { cwd: dir });
    assert.equal(aply.code, 1);
    assert.match(aply.stderr, /did you mean `meshdeploy apply`\?/);
    const flag = await runInProcess(["plan", "--detailed-exit-code"], { cwd: dir });
    assert.match(flag.stderr, /unknown option --detailed-exit-code\n {2}hint: did you mean `--detailed-exitcode`\?/);
    // -v and -V are aliases of --version (main's h15 completion/version work), not a suggestion.
    const version = await runInProcess(["-V"], { cwd: dir });
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^meshdeploy \d+\.\d+\.\d+/);
  });

  it("item 18: watch with a config invalid at start waits for a fix instead of exiting", async (t) => {
    const dir = testTempDir(t, "fh-watch");
    const file = path.join(dir, ".meshdeploy.yaml");
    await writeFile(file, "version: 1\nroom: dev\nservices:\n  - tgas: web:1\n");
    const stop = new AbortController();
    const io = captureIo(dir, {}, stop.signal);
    const running = runCli(["watch", "--local", "--platform", "0.39.9", "--debounce", "50"], io);
    try {
      await waitFor("the waiting line", () => io.stderr.some((l) => l.includes("the config is invalid; nothing is deployed yet, waiting for a fix")), 20_000);
      assert.ok(io.stderr.some((l) => l.includes("did you mean `tag`")), io.stderr.join("\n"));
      await writeFile(file, SIMPLE);
      await waitFor("the first cycle", () => io.stdout.some((l) => /✓ cycle 1/.test(l)), 30_000);
    } finally {
      stop.abort();
    }
    assert.equal(await running, 130);
  });

  it("item 18: the build log names the plan's build.context hash; the room's tar hash is labelled as another one", async (t) => {
    const dir = testTempDir(t, "fh-hash");
    await mkdir(path.join(dir, "web"));
    await writeFile(path.join(dir, "web", "Dockerfile"), "FROM python:3.12-slim\nCOPY app.py /app.py\nCMD [\"python\", \"/app.py\"]\n");
    await writeFile(path.join(dir, "web", "app.py"), "print(1)\n");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: web:1", "    build: ./web", ""].join("\n"));
    const applied = await runInProcess(["apply", "--yes", "--local", "--platform", "0.39.9"], { cwd: dir });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const planned = /\+ build\.context = (sha256:[0-9a-f]{12})$/m.exec(applied.stdout)?.[1];
    assert.ok(planned !== undefined, applied.stdout);
    assert.match(applied.stdout, new RegExp(`^… local-web building image from build\\.context ${planned} `, "m"));
    // Every other hash in the build log says what it is a hash of.
    const logged = applied.stdout.split("\n").filter((l) => l.startsWith("[local-web]") && l.includes("sha256:"));
    assert.ok(logged.length > 0, applied.stdout);
    for (const line of logged) assert.match(line, /(archive|recorded as) sha256:/, line);
  });

  it("item 18: watch takes --require-clean (a cycle outside a clean checkout is refused, nothing written) and --verbose", async (t) => {
    const dir = testTempDir(t, "fh-watch-clean");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), SIMPLE);
    const stop = new AbortController();
    const io = captureIo(dir, {}, stop.signal);
    const running = runCli(["watch", "--local", "--platform", "0.39.9", "--debounce", "50", "--require-clean", "--verbose"], io);
    try {
      await waitFor("the refused cycle", () => io.stderr.some((l) => l.includes("--require-clean:")), 20_000);
    } finally {
      stop.abort();
    }
    assert.equal(await running, 130);
    assert.equal(io.stderr.some((l) => /unknown option/.test(l)), false, io.stderr.join("\n"));
    const planned = await runInProcess(["plan", "--local", "--platform", "0.39.9"], { cwd: dir });
    assert.match(planned.stdout, /\+ fh-api {2}create/, "the refused cycle wrote nothing");
  });

  it("item 18: ports from EXPOSE are named in the plan; a change to a full token and public is marked as widening access", async (t) => {
    const dir = testTempDir(t, "fh-expose");
    await mkdir(path.join(dir, "web"));
    await writeFile(path.join(dir, "web", "Dockerfile"), "FROM python:3.12-slim\nCOPY app.py /app.py\nEXPOSE 8080\nCMD [\"python\", \"/app.py\"]\n");
    await writeFile(path.join(dir, "web", "app.py"), "print(1)\n");
    const config = (token: string, pub: boolean) => ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: web:1", "    build: ./web", `    token: ${token}`, `    public: ${pub}`, ""].join("\n");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), config("agentDefault", false));
    const run = (args: string[]) => runInProcess([...args, "--local", "--platform", "0.50.1"], { cwd: dir });
    const applied = await run(["apply", "--yes"]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /note: no `ports:` declared: the ports come from the Dockerfile's `EXPOSE 8080`, written as 8080 \(published, liveness \/\) by the MeshAgent CLI's rules; declare `ports:` to choose/);
    await writeFile(path.join(dir, ".meshdeploy.yaml"), config("full", true));
    const widened = await run(["plan"]);
    assert.match(widened.stdout, /^ {6}! widens access: a published port becomes public/m);
    assert.match(widened.stdout, /^ {6}! widens access: the service gets a full-access token$/m);
    assert.match(widened.stdout, /^! 1 widens access: local-web \(public, full token\)$/m);
    assert.equal(widened.stdout.includes("EXPOSE"), false, "the live ports are kept now, not taken from EXPOSE");
  });

  it("item 18: a tag-less image is warned about at `tag:`, also as a GitHub `::warning`; the plan still succeeds", async (t) => {
    const dir = testTempDir(t, "fh-latest");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: myorg/api", ""].join("\n"));
    const planned = await runInProcess(["plan", "--local", "--platform", "0.39.9"], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir } });
    assert.equal(planned.code, 0, planned.stdout + planned.stderr);
    assert.match(planned.stdout, /^ {6}! warning: `tag: myorg\/api` names no tag, so it means `latest`: a new image pushed under the same tag is never detected/m);
    assert.match(planned.stdout, /^ {8}--> \.meshdeploy\.yaml:5:10$/m);
    assert.match(planned.stdout, /^::warning file=\.meshdeploy\.yaml,line=5,col=10,title=meshdeploy%3A plan::myorg-api in room dev: `tag: myorg\/api` names no tag/m);
  });
});

