// No credential is ever printed or written: every command runs with a recognisable API key (in
// the MeshAgent `ma-<key>-<project>-<secret>` form) on success paths, against failing servers
// (one that echoes the key back in every error, injected 5xx, an unreachable port), with bad
// configs, with --output json|markdown, saved plans, a step summary, and MESHDEPLOY_DEBUG. The key,
// its secret part and any room token (`mdl_…`) must never appear in stdout, stderr or any file
// written under the project directory.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, it } from "node:test";
import { parseFaultSpec, withSeed } from "../../src/local/faults/fault-spec.js";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { compressUuid, projectIdFromApiKey } from "../../src/platform/api-key.js";
import { HttpClient } from "../../src/platform/http-client.js";
import { type CliResult, finished, runBinaryAsync, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { serviceAccountWithSecret } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const PROJECT = "6a7b8c9d-1e2f-4a3b-8c4d-5e6f7a8b9c0d";
const SECRET = "Zq8vX1wKdoNotPrintThisSecretPart";
const KEY = `ma-${compressUuid("11112222-3333-4444-8555-666677778888")}-${compressUuid(PROJECT)}-${SECRET}`;
const ROOM_TOKEN = /mdl_[A-Za-z0-9_-]{16,}/;

const config = (secretId: string, runAs: string): string => `version: 1
room: dev
owner: leak
services:
  - tag: leak/web:1
    env: {APP_ENV: dev}
    ports: [{num: 8000, type: http, published: true}]
  - tag: leak/worker:1
    token: agentDefault
    secrets: {DB_PASSWORD: ${secretId}}
${runAs}  - tag: built:1
    build: ./app
`;

/** Every file under `dir`, recursively (the sync clone's .git included). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

function assertClean(what: string, text: string): void {
  assert.equal(text.includes(KEY), false, `${what}: the API key was printed or written`);
  assert.equal(text.includes(SECRET), false, `${what}: the key's secret part was printed or written`);
  assert.doesNotMatch(text, ROOM_TOKEN, `${what}: a room token was printed or written`);
}

forEachPlatform("no credential is ever printed or written", (platform) => {
  let CONFIG: string;
  let room: LocalRoom;
  let roomDir: string;
  let dir: string;
  let echo: Server;
  let echoUrl: string;
  let env: Record<string, string>;

  /** Runs the binary (asynchronously: the room is served by this process), and checks its output. */
  async function run(label: string, args: string[], extraEnv: Record<string, string> = {}, useEnv = env): Promise<CliResult> {
    const result = await runBinaryAsync(args, dir, { ...useEnv, ...extraEnv });
    assertClean(`${label} (${args.join(" ")}) stdout`, result.stdout);
    assertClean(`${label} (${args.join(" ")}) stderr`, result.stderr);
    return result;
  }
  const code = async (...args: Parameters<typeof run>): Promise<number> => (await run(...args)).code;

  before(async () => {
    assert.equal(projectIdFromApiKey(KEY), PROJECT, "the key carries the project id");
    roomDir = await tempDir();
    dir = await tempDir();
    room = await startLocalRoom({ dataDir: roomDir, token: KEY, projectId: PROJECT, rooms: ["dev"], startDelayMs: 20, platform });
    env = { MESHAGENT_API_URL: room.url, MESHAGENT_API_KEY: KEY };
    const http = new HttpClient({ baseUrl: room.url, token: KEY });
    if (platform === "0.39.9") {
      await http.send("POST", `/accounts/projects/${PROJECT}/rooms/dev/secrets`, { secret_id: "sec_leak", for_identity: "leak-worker", data_base64: Buffer.from("pw").toString("base64") });
      CONFIG = config("sec_leak", "");
    } else {
      // 0.45+: a service account's secret, read by the service running as that account.
      const { email, secretId } = await serviceAccountWithSecret(room.url, "leak-bot", "db", KEY, PROJECT);
      CONFIG = config(secretId, `    runAs: {email: ${email}}\n`);
    }
    await http.close();
    await mkdir(path.join(dir, "app"));
    await writeFile(path.join(dir, "app", "Dockerfile"), "FROM busybox\nCOPY hello.txt /hello.txt\n");
    await writeFile(path.join(dir, "app", "hello.txt"), "hello\n");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG);
    // A server that echoes the Authorization header back in every answer, as a careless proxy might.
    echo = createServer((request, response) => {
      const said = `you sent ${request.headers.authorization ?? "nothing"} to ${request.url}`;
      const status = request.url?.includes("/rooms/") ? 401 : 500;
      const body = request.url === "/config" ? JSON.stringify({ error: { message: said } }) : `<html>${said}</html>`;
      response.writeHead(status, { "Content-Type": request.url === "/config" ? "application/json" : "text/html", "X-Echo": String(request.headers.authorization) });
      response.end(body);
    });
    await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
    echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  });
  after(async () => {
    await room.close();
    await new Promise((resolve) => echo.close(resolve));
  });
  // Registered after the hook above: the dirs are removed once the room and the echo server have closed.
  const tempDir = suiteTempDirs("leak");

  it("success paths: validate, plan in every format, saved plans, apply, step summary", async () => {
    assert.equal(await code("validate", ["validate"]), 0);
    assert.equal(await code("plan", ["plan"]), 0);
    assert.equal(await code("plan json", ["plan", "--output", "json"]), 0);
    assert.equal(await code("plan markdown", ["plan", "--output", "markdown"]), 0);
    assert.equal(await code("step summary", ["plan", "--output", "markdown"], { GITHUB_STEP_SUMMARY: path.join(dir, "summary.md") }), 0);
    assert.equal(await code("plan --out", ["plan", "--out", "plan.json"]), 0);
    const applied = await run("apply saved plan", ["apply", "plan.json", "--yes"]);
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const first = await run("apply", ["apply", "--yes"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(await code("plan exit code", ["plan", "--detailed-exitcode"]), 0);
  });

  it("updates, prune and the MESHAGENT_TOKEN variable", async () => {
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG.replace("APP_ENV: dev", "APP_ENV: prod"));
    assert.equal(await code("apply update", ["apply", "--yes"]), 0);
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG.replace("APP_ENV: dev", "APP_ENV: prod").replace(/  - tag: leak\/worker:1\n(?: {4}.*\n)+/, ""));
    assert.equal(await code("apply prune", ["apply", "--prune", "--yes"]), 0);
    const tokenEnv = { MESHAGENT_API_URL: room.url, MESHAGENT_TOKEN: KEY, MESHAGENT_PROJECT_ID: PROJECT };
    assert.equal(await code("MESHAGENT_TOKEN", ["plan", "--detailed-exitcode"], {}, tokenEnv), 0);
  });

  it("failing servers: one that echoes the key, injected 5xx (with MESHDEPLOY_DEBUG), an unreachable port", async () => {
    // Independent runs, in parallel: each spends most of its time in retry back-off.
    const echoed = await Promise.all(
      [["plan"], ["apply", "--yes"], ["plan", "--output", "json"]].map((args) => run("echoing server", [...args, "--api-url", echoUrl], { MESHAGENT_PROJECT_ID: PROJECT })),
    );
    for (const result of echoed) {
      assert.equal(result.code, 1);
      assert.match(result.stderr, /you sent Bearer \*\*\*/, "the echoed key is redacted, the rest of the message kept");
    }
    room.setFaults(withSeed(parseFaultSpec("5xx=1,after=0")!, () => 1));
    try {
      const codes = await Promise.all([code("5xx", ["plan"]), code("5xx debug", ["apply", "--yes"], { MESHDEPLOY_DEBUG: "1" }), code("unreachable", ["plan", "--api-url", "http://127.0.0.1:1"])]);
      assert.deepEqual(codes, [1, 1, 1]);
    } finally {
      room.setFaults(null);
    }
  });

  it("bad configs, and a config that interpolates the key itself", async () => {
    await writeFile(path.join(dir, "bad.yaml"), "version: 1\nroom: dev\nservices:\n  - tgas: web:1\n");
    for (const command of ["validate", "plan", "apply"]) assert.equal(await code(`bad config ${command}`, [command, "-f", "bad.yaml"]), 1);
    // A user who writes ${MESHAGENT_API_KEY} into an env value: the plan's field diff shows it redacted.
    await writeFile(path.join(dir, "interpolated.yaml"), "version: 1\nroom: dev\nowner: leak2\nservices:\n  - tag: leak/interp:1\n    env: {KEY_COPY: \"${MESHAGENT_API_KEY}\"}\n");
    const planned = await run("interpolated key", ["plan", "-f", "interpolated.yaml"]);
    assert.equal(planned.code, 0, planned.stdout + planned.stderr);
    assert.match(planned.stdout, /KEY_COPY = \*\*\*/);
    assert.equal((await run("interpolated key json", ["plan", "-f", "interpolated.yaml", "--output", "json"])).code, 0);
    // The saved plan would hold the key: writing it is refused (exit 1), so no file carries it.
    assert.equal((await run("interpolated key saved", ["plan", "-f", "interpolated.yaml", "--out", "interp-plan.json"])).code, 1);
  });

  it("sync --once, watch and local serve", async () => {
    {
      const repo = path.join(dir, "repo");
      await mkdir(repo);
      await writeFile(path.join(repo, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: leak-sync\nservices:\n  - tag: leaksync/web:1\n    env: {FROM: git}\n");
      const git = (...args: string[]): void => void execFileSync("git", ["-c", "user.email=t@example.test", "-c", "user.name=t", ...args], { cwd: repo, stdio: "ignore" });
      git("init", "-q", "-b", "main");
      git("add", ".");
      git("commit", "-q", "-m", "deploy");
      assert.equal(await code("sync", ["sync", "--repo", `file://${repo}`, "--once"]), 0);
    }
    {
      const child = spawnBinary(["watch", "--api-url", room.url], dir, env);
      const result = finished(child);
      await waitForOutput(child, /cycle 1 · /, 1, 60_000);
      child.kill("SIGINT");
      const { stdout, stderr } = await result;
      assertClean("watch stdout", stdout);
      assertClean("watch stderr", stderr);
    }
    const serve = spawnBinary(["local", "serve", "--port", "0", "--data", path.join(dir, "served")], dir, env);
    const served = finished(serve);
    await waitForOutput(serve, /token: /);
    serve.kill("SIGINT");
    const { stdout, stderr } = await served;
    assertClean("local serve stdout", stdout);
    assertClean("local serve stderr", stderr);
  });

  it("no file written under the project holds a credential", () => {
    const files = filesUnder(dir);
    // The files the runs above must have written: checked by name, so this cannot pass on an
    // empty directory (run alone, or after an earlier failure, it fails).
    for (const name of ["plan.json", "summary.md", ".meshdeploy.yaml", "interpolated.yaml"]) assert.ok(files.includes(path.join(dir, name)), `${name} missing:\n${files.join("\n")}`);
    for (const file of files) assertClean(path.relative(dir, file), readFileSync(file, "latin1"));
  });
}, { timeout: 180_000 });
