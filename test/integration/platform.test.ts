// The platform through the CLI: the plan header and JSON say which MeshAgent version was planned
// for and where that came from; --platform and platform: override detection (the flag wins); a
// bad --platform is a usage error; a saved plan made for one version is refused under another.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CONFIG = "version: 1\nroom: dev\nowner: gen\nservices:\n  - tag: gen/web:1\n";

forEachPlatform("platform in plan and saved plans", (platform) => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform });
  });
  after(() => h.close());

  async function cli(args: string[]): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(h.projectDir, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    return { code: await runCli(args, io), io };
  }

  it("says what it planned for: detected, from the config, from the flag", async () => {
    await h.writeConfig(CONFIG);
    const detected = await cli(["plan"]);
    assert.equal(detected.code, 0, detected.io.all());
    const header = platform === "0.39.9" ? "· MeshAgent 0.39.9 (the server reports no version)" : "· MeshAgent 0.50.1 (reported by the server)";
    assert.ok(detected.io.stderr.join("\n").includes(header), detected.io.all());
    await h.writeConfig(CONFIG.replace("owner: gen", "owner: gen\nplatform: 0.39.9"));
    const json = await cli(["plan", "--output", "json"]);
    assert.deepEqual(JSON.parse(json.io.stdout.join("\n")).platform, { version: "0.39.9", source: "config" });
    const flagged = await cli(["plan", "--output", "json", "--platform", "0.39.8"]);
    assert.deepEqual(JSON.parse(flagged.io.stdout.join("\n")).platform, { version: "0.39.8", source: "flag" });
  });

  it("a version newer than any meshdeploy knows is spoken to as the newest, with a warning in the header and the JSON", async () => {
    await h.writeConfig(CONFIG);
    const human = await cli(["plan", "--platform", "0.60.0"]);
    assert.equal(human.code, 0, human.io.all());
    assert.match(human.io.stderr.join("\n"), /\nwarning: MeshAgent 0\.60\.0 is newer than 0\.50\.1, the newest version meshdeploy knows; it speaks 0\.50\.1 to it/);
    const json = await cli(["plan", "--output", "json", "--platform", "0.60.0"]);
    assert.match(JSON.parse(json.io.stdout.join("\n")).platform.warning, /newer than 0\.50\.1/);
  });

  it("a --platform that is not a version is a usage error, before any request", async () => {
    await h.writeConfig(CONFIG);
    const bad = await cli(["plan", "--platform", "newest"]);
    assert.equal(bad.code, 1);
    assert.match(bad.io.stderr.join("\n"), /--platform expects a MeshAgent version such as 0\.50\.1/);
  });

  it("a platform: that is not a version is a located config error", async () => {
    await h.writeConfig(CONFIG.replace("owner: gen", "owner: gen\nplatform: newest"));
    const bad = await cli(["validate"]);
    assert.equal(bad.code, 1);
    assert.match(bad.io.stderr.join("\n"), /\.meshdeploy\.yaml:4:11/);
    assert.match(bad.io.stderr.join("\n"), /a MeshAgent version such as 0\.50\.1 or 0\.39\.9/);
  });

  it("a saved plan made for one version is refused under another", async () => {
    await h.writeConfig(CONFIG);
    assert.equal((await cli(["plan", "--out", "plan.json", "--platform", "0.39.9"])).code, 0);
    const refused = await cli(["apply", "plan.json", "--platform", "0.39.8"]);
    assert.equal(refused.code, 1);
    assert.match(refused.io.stderr.join("\n"), /platform: the plan was made for MeshAgent 0\.39\.9, this apply speaks MeshAgent 0\.39\.8/);
  });
});

describe("--local and the generation asked for", () => {
  const tempDir = suiteTempDirs("platform-local");

  it("`platform:` of the config picks the embedded room's generation; without one a new room speaks 0.50.1", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG.replace("owner: gen", "owner: gen\nplatform: 0.39.9"));
    const old = captureIo(dir, {});
    assert.equal(await runCli(["plan", "--local"], old), 0, old.all());
    assert.ok(old.stderr.join("\n").includes("MeshAgent 0.39.9 (from platform: in the config)"), old.all());
    assert.equal(JSON.parse(await readFile(path.join(dir, ".meshdeploy", "local", "state.json"), "utf8")).platform, "0.39.9");

    const fresh = await tempDir();
    await writeFile(path.join(fresh, ".meshdeploy.yaml"), CONFIG);
    const current = captureIo(fresh, {});
    assert.equal(await runCli(["plan", "--local"], current), 0, current.all());
    assert.ok(current.stderr.join("\n").includes("MeshAgent 0.50.1 (reported by the server)"), current.all());
  });
});

describe("validate --platform", () => {
  const tempDir = suiteTempDirs("platform-validate");
  const LEGACY = `${CONFIG}    mounts:\n      project: [{source: shared, path: /shared}]\n`;

  it("runs the generation's rules offline: located, with the hint; without a version they wait for plan", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), LEGACY);
    const offline = captureIo(dir, {});
    assert.equal(await runCli(["validate"], offline), 0, offline.all());
    const current = captureIo(dir, {});
    assert.equal(await runCli(["validate", "--platform", "0.50.1"], current), 1, current.all());
    assert.match(current.all(), /`mounts\.project`: MeshAgent 0\.50\.1 has no project mounts/);
    assert.match(current.all(), /\.meshdeploy\.yaml:7:16/);
    assert.match(current.all(), /hint: mount a named room volume instead/);
    const old = captureIo(dir, {});
    assert.equal(await runCli(["validate", "--platform", "0.39.9"], old), 0, old.all());
    assert.match(old.all(), /is valid for MeshAgent 0\.39\.9 \(from --platform\)/);
    // `platform:` in the config does the same; a flag that is not a version is a usage error.
    await writeFile(path.join(dir, ".meshdeploy.yaml"), LEGACY.replace("owner: gen", "owner: gen\nplatform: 0.50.1"));
    assert.equal(await runCli(["validate"], captureIo(dir, {})), 1);
    const bad = captureIo(dir, {});
    assert.equal(await runCli(["validate", "--platform", "newest"], bad), 1);
    assert.match(bad.all(), /--platform expects a MeshAgent version/);
  });

  it("secrets: with neither runAs nor token is refused offline, naming both generations' fix", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), `${CONFIG}    secrets: {DB: sec_1}\n`);
    const io = captureIo(dir, {});
    assert.equal(await runCli(["validate"], io), 1);
    assert.match(io.all(), /Expected `runAs:` \(MeshAgent 0\.45\+\) or `token:` \(0\.39\) on a service with `secrets:`, got neither/);
    assert.match(io.all(), /add `runAs: \{email: <service account email>\}`/);
  });
});
