// build: contexts built inside the local room, restarts and health waits, secrets checked first.
// Once per generation.
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import type { ApplyResult } from "../../src/apply/apply-plan.js";
import { ConfigError, MeshdeployError } from "../../src/errors.js";
import type { Plan } from "../../src/plan/types.js";
import { resultLine } from "../../src/output/render-apply.js";
import { plain } from "../../src/output/style.js";
import { type Harness, startHarness } from "../helpers/local-room.js";
import { forEachPlatform, secretGrant } from "../helpers/platforms.js";

const CONFIG = `version: 1
room: dev
owner: builders
services:
  - tag: web:1
    build: ./web
  - tag: api:1
    build: {context: ./api, dockerfile: Dockerfile}
    env: {MODE: fast}
`;

async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
}

forEachPlatform("build inside the room", (platform) => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform });
    await writeTree(h.projectDir, {
      "web/Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY server.js .\nEXPOSE 8000\nCMD [\"node\", \"server.js\"]\n",
      "web/server.js": "require('http').createServer((q, s) => s.end('ok')).listen(8000);\n",
      "api/Dockerfile": "FROM python:3.12-slim\nCOPY app.py /app/\nRUN pip install flask\nCMD [\"python\", \"/app/app.py\"]\n",
      "api/app.py": "print('hello')\n",
    });
  });
  after(() => h.close());

  async function plan(yaml = CONFIG): Promise<Plan> {
    return (await planDesired(h.target(), await loadConfig(await h.writeConfig(yaml)))).plan;
  }
  async function apply(yaml = CONFIG): Promise<ApplyResult> {
    const run = await planDesired(h.target(), await loadConfig(await h.writeConfig(yaml)));
    return applyRun(h.target(), run, { concurrency: 4, pollIntervalMs: 25, waitTimeoutMs: 20_000 });
  }

  it("builds each context in the room, deploys, waits until running; a second apply builds nothing", async () => {
    const first = await apply();
    assert.deepEqual(first.summary, { created: 2, updated: 0, deleted: 0, unchanged: 0, failed: 0, skipped: 0 }, first.results.map((r) => r.error?.message).join("\n"));
    const builds = h.room.builds();
    assert.deepEqual(builds.map((b) => [b.tag, b.status]).sort(), [
      ["registry.meshagent.com/local/api:1", "succeeded"],
      ["registry.meshagent.com/local/web:1", "succeeded"],
    ]);
    assert.ok(builds.find((b) => b.tag.endsWith("/api:1"))!.logs.some((l) => /RUN pip install flask — not executed/.test(l)));
    const web = (await h.target().listServices("dev")).find((s) => s.metadata.name === "local-web")!;
    assert.match(web.metadata.annotations!["meshdeploy.context-hash"]!, /^[0-9a-f]{64}$/);
    // EXPOSE 8000 became the default port, as the CLI does.
    assert.deepEqual(web.ports?.map((p) => [p.num, p.published]), [[8000, true]]);
    const second = await plan();
    assert.deepEqual(second.summary, { create: 0, update: 0, delete: 0, noop: 2 });
    assert.equal(second.services[0]?.reason, "up to date (context unchanged)");
    assert.equal(h.room.builds().length, 2);
  });

  it("editing one context file rebuilds and restarts only that service, naming the file", async () => {
    await writeFile(path.join(h.projectDir, "api/app.py"), "print('hello again')\n");
    const p = await plan();
    assert.deepEqual(p.summary, { create: 0, update: 1, delete: 0, noop: 1 });
    const update = p.services.find((s) => s.type === "update")!;
    assert.equal(update.name, "local-api");
    assert.equal(update.reason, "context changed: app.py");
    assert.ok(update.build && update.restart);
    const before = h.room.builds().length;
    const result = await apply();
    assert.equal(result.summary.updated, 1, result.results.map((r) => r.error?.message).join("\n"));
    assert.deepEqual(h.room.builds().slice(before).map((b) => b.tag), ["registry.meshagent.com/local/api:1"]);
  });

  it("names no files when the live service runs a build other than the one this checkout recorded", async () => {
    // As if another checkout had deployed since: the local manifest is not of the live build.
    const file = path.join(h.projectDir, ".meshdeploy", "contexts.json");
    const manifests = JSON.parse(await readFile(file, "utf8"));
    manifests["dev/local-api"].hash = "0".repeat(64);
    await writeFile(file, JSON.stringify(manifests));
    await writeFile(path.join(h.projectDir, "api/app.py"), "print('from elsewhere')\n");
    assert.equal((await plan()).services.find((s) => s.name === "local-api")?.reason, "context changed");
    await apply();
    await writeFile(path.join(h.projectDir, "api/app.py"), "print('hello again')\n");
    assert.equal((await plan()).services.find((s) => s.name === "local-api")?.reason, "context changed: app.py", "the next build's manifest is right again");
    await apply();
  });

  it("a failing build fails that service only, with the log tail", async () => {
    await writeFile(path.join(h.projectDir, "api/Dockerfile"), "FROM python:3.12-slim\nCOPY missing.py /app/\n");
    await writeFile(path.join(h.projectDir, "web/server.js"), "// v2\n");
    const result = await apply();
    assert.equal(result.summary.failed, 1);
    assert.equal(result.summary.updated, 1);
    const failed = result.results.find((r) => r.outcome === "failed")!;
    assert.equal(failed.service.name, "local-api");
    assert.equal(failed.written, undefined, "nothing was written");
    assert.match(failed.error!.message, /building registry\.meshagent\.com\/local\/api:1 failed: the build exited with status 1/);
    assert.match(failed.error!.message, /missing\.py/);
    await writeFile(path.join(h.projectDir, "api/Dockerfile"), "FROM python:3.12-slim\nCOPY app.py /app/\n");
    assert.equal((await apply()).summary.failed, 0);
  });

  it("a crash-looping service fails fast with its exit code and its last log lines", async () => {
    const crashing = CONFIG.replace("env: {MODE: fast}", "env: {MODE: fast, MESHDEPLOY_LOCAL_CRASH: '3', MESHDEPLOY_LOCAL_LOG: 'api: DATABASE_URL is not set'}");
    const started = Date.now();
    const result = await apply(crashing);
    const failed = result.results.find((r) => r.outcome === "failed");
    assert.equal(failed?.service.name, "local-api");
    assert.equal(failed?.written, "updated", "the spec was written; only coming up failed");
    assert.match(resultLine(failed!, plain), /^✗ local-api updated \(id [^)]+\), but it did not come up: /);
    const message = failed!.error!.message;
    assert.match(message, /exited before it was live: exit code 3/);
    const quoted = message.split("\n").slice(1);
    assert.ok(quoted.length > 0 && quoted.length <= 10 && quoted.every((line) => line.startsWith("    | ")), message);
    assert.ok(quoted.includes("    | api: DATABASE_URL is not set"), message);
    assert.ok(quoted.includes("    | local room: container exited with code 3 (MESHDEPLOY_LOCAL_CRASH)"), message);
    assert.ok(Date.now() - started < 10_000, "fails fast, long before the 20 s timeout");
    assert.equal((await apply()).summary.failed, 0);
  });

  it("missing secrets fail the whole run before any change, listing each", async () => {
    const a = await secretGrant(h, platform, "dev", "sec_a", "acme-bot");
    const withSecrets = `${CONFIG}  - tag: acme/bot:1\n    token: agentDefault\n    secrets: {A: ${a.id}, B: sec_b}\n${a.serviceLines("    ")}`;
    const before = await h.target().listServices("dev");
    const owner = platform === "0.39.9" ? "for identity acme-bot" : "of service account acme-bot@";
    await assert.rejects(apply(withSecrets), (e: MeshdeployError) => {
      assert.equal(e.code, "E_SECRETS");
      assert.ok(e.message.includes(`B → secret sec_b ${owner}`), e.message);
      assert.ok(!e.message.includes(a.id), e.message);
      const command = platform === "0.39.9" ? "meshdeploy secret set sec_b --room dev --identity acme-bot" : "meshdeploy secret set sec_b --run-as acme-bot@";
      assert.ok(e.message.includes(command), e.message);
      return true;
    });
    assert.deepEqual(await h.target().listServices("dev"), before);
  });

  it("build rules are located errors: VOLUME without a mount, a foreign project key", async () => {
    await writeTree(h.projectDir, { "vol/Dockerfile": "FROM alpine\nVOLUME /data\n" });
    const volume = `version: 1\nroom: dev\nservices:\n  - tag: vol:1\n    build: ./vol\n`;
    await assert.rejects(plan(volume), (e: ConfigError) => {
      const [diagnostic] = e.diagnostics;
      assert.equal(diagnostic?.location.line, 5);
      assert.equal(diagnostic.message, "packed Dockerfile final stage declares VOLUME path /data, but the deployed service does not mount it.");
      assert.match(diagnostic.hint ?? "", /mounts: \{emptyDirs: \["\/data"\]\}/);
      return true;
    });
    const foreign = `version: 1\nroom: dev\nservices:\n  - tag: other/web:1\n    build: ./web\n`;
    await assert.rejects(plan(foreign), (e: ConfigError) => /the image tag project key does not match the selected project/.test(e.diagnostics[0]?.message ?? ""));
  });
});
