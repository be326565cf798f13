// End to end: spawn the built binary (dist/cli/main.js, built by `npm test`) like a user would.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";

import { BIN, runBinary } from "../helpers/binary.js";
import { suiteTempDirs, testTempDir } from "../helpers/temp-dirs.js";
const API_KEY = "ma-recognisable-api-key-DO-NOT-PRINT-0123456789";

const run = runBinary;

const CONFIG = `version: 1
room: dev
owner: e2e
services:
  - tag: web:1
    env: {APP_ENV: dev}
  - tag: acme/api:2
`;

describe("meshdeploy binary", () => {
  const tempDir = suiteTempDirs("e2e");
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG);
  });

  it("prints help and exits 0", () => {
    const r = run(["--help"], dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: meshdeploy <command>/);
    assert.equal(run(["plan", "--help"], dir).code, 0);
  });

  it("runs as the README runs it: `npx meshdeploy` in the project root (the built file is executable)", async () => {
    assert.equal((await stat(BIN)).mode & 0o111, 0o111, `${BIN} is not executable: \`npm run build\` must chmod it`);
    const root = path.dirname(path.dirname(path.dirname(BIN)));
    const npx = spawnSync("npx", ["meshdeploy", "--version"], { cwd: root, encoding: "utf8", timeout: 60_000 });
    assert.equal(npx.status, 0, npx.stderr);
    assert.match(npx.stdout, /^meshdeploy \d+\.\d+\.\d+/);
  });

  it("usage errors exit 1: `local` without a subcommand, --local with --api-url", () => {
    const local = run(["local"], dir);
    assert.equal(local.code, 1);
    assert.match(local.stderr, /`meshdeploy local` needs a subcommand/);
    const both = run(["plan", "--local", "--api-url", "http://127.0.0.1:9"], dir);
    assert.equal(both.code, 1);
    assert.match(both.stderr, /--api-url and --local name two different targets/);
    assert.equal(run(["local", "--help"], dir).code, 0);
  });

  it("validate: a located error and exit 1", async () => {
    await writeFile(path.join(dir, "bad.yaml"), "version: 1\nroom: dev\nservices:\n  - tgas: web:1\n");
    const r = run(["validate", "-f", "bad.yaml"], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /bad\.yaml:4:5/);
    assert.match(r.stderr, /did you mean `tag`/);
    assert.equal(run(["validate"], dir).code, 0);
  });

  it("without --local or credentials: an error naming --local and the env vars", () => {
    const r = run(["plan"], dir);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--local/);
    assert.match(r.stderr, /MESHAGENT_API_KEY/);
  });

  it("apply --local converges; plan --detailed-exitcode is 0 after, 2 on a change; JSON output", async () => {
    const first = run(["apply", "--local"], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Apply complete: 2 created, 0 updated, 0 deleted, 0 unchanged\./);
    assert.equal(run(["plan", "--local", "--detailed-exitcode"], dir).code, 0);
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG.replace("APP_ENV: dev", "APP_ENV: prod"));
    const changed = run(["plan", "--local", "--detailed-exitcode", "--output", "json"], dir);
    assert.equal(changed.code, 2, changed.stderr);
    const json = JSON.parse(changed.stdout);
    assert.equal(json.formatVersion, 1);
    assert.deepEqual(json.summary, { create: 0, update: 1, delete: 0, noop: 1 });
    assert.deepEqual(json.services[0].changes, [{ path: "container.environment.APP_ENV", before: "dev", after: "prod" }]);
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG);
  });

  it("local serve: prints URL and token, serves plan/apply with --api-url, stops on SIGINT with 130", async (t) => {
    const serveDir = testTempDir(t, "serve");
    await writeFile(path.join(serveDir, ".meshdeploy.yaml"), CONFIG);
    const child = spawn(process.execPath, [BIN, "local", "serve", "--port", "0", "--room", "dev"], { cwd: serveDir, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
    // A failed assertion must not leave the server running (the test file would never end).
    t.after(() => void child.kill("SIGKILL"));
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
      child.stdout.on("data", () => {
        // Both lines: they may arrive in separate chunks.
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[^]*\ntoken: /.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const tokenFile = path.join(serveDir, ".meshdeploy/local/token");
    const token = (await readFile(tokenFile, "utf8")).trim();
    assert.match(out, new RegExp(`token: ${token}`));
    assert.equal((await stat(tokenFile)).mode & 0o777, 0o600);
    const env = { MESHAGENT_API_URL: url, MESHAGENT_API_KEY: token, MESHAGENT_PROJECT_ID: "local" };
    const applied = run(["apply", "--yes"], serveDir, env);
    assert.equal(applied.code, 0, applied.stderr);
    // --local finds the running server through its data dir instead of starting another.
    assert.equal(run(["plan", "--local", "--detailed-exitcode"], serveDir).code, 0);
    const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    assert.equal(await exit, 130);
  });

  it("never prints the API key, even when the server refuses it", async () => {
    const r = run(["plan", "--api-url", "http://127.0.0.1:1"], dir, { MESHAGENT_API_KEY: API_KEY, MESHAGENT_PROJECT_ID: "p" });
    assert.equal(r.code, 1);
    assert.equal((r.stdout + r.stderr).includes(API_KEY), false);
    assert.match(r.stderr, /could not reach/);
  });
});
