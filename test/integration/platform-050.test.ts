// Against the local room speaking 0.50.1 (`--local --platform 0.50.1`), through runCli as a user
// runs it: the 0.50 example (a build, secrets + runAs, a volume, a domain, template, enabled: false,
// cookie validation) applies, the disabled service is written but neither restarted nor waited for, the
// next plan is `No changes`; a 0.39 project mount is a plan problem there, nothing written.
import assert from "node:assert/strict";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { runCli } from "../../src/cli/run.js";
import { startLocalRoom } from "../../src/local/server.js";
import { captureIo } from "../helpers/capture-io.js";
import { serviceAccountWithSecret } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A service account with one secret in the local room whose state is in `dataDir` (the `--local` runs reopen it). */
async function accountInDataDir(dataDir: string): Promise<{ email: string; secretId: string }> {
  const token = "platform-050-token-0123456789";
  const room = await startLocalRoom({ dataDir, token, platform: "0.50.1" });
  try {
    return await serviceAccountWithSecret(room.url, "api-bot", "db", token);
  } finally {
    await room.close();
  }
}

describe("--local --platform 0.50.1", { timeout: 120_000 }, () => {
  const tempDir = suiteTempDirs("platform-050");

  /** A copy of examples/ (the 0.50 example builds ../hello-web/app). */
  async function project(): Promise<string> {
    const dir = await tempDir();
    await cp(path.join(ROOT, "examples"), path.join(dir, "examples"), { recursive: true });
    return dir;
  }
  const CONFIG = "examples/platform-0.50/.meshdeploy.yaml";
  async function cli(dir: string, args: string[]): Promise<{ code: number; out: string }> {
    const io = captureIo(dir, {});
    const code = await runCli([...args, "--local", "--platform", "0.50.1", "-f", CONFIG], io);
    return { code, out: io.all() };
  }

  it("applies the 0.50 example (build, secrets + runAs, a volume, a domain), never waits for the disabled service, and converges", async () => {
    const dir = await project();
    // The service account and its secret do not exist yet: refused before anything is written.
    const refused = await cli(dir, ["apply", "--yes"]);
    assert.equal(refused.code, 1, refused.out);
    assert.match(refused.out, /DB_PASSWORD → secret sec_db of service account api-bot@acme\.serviceaccounts\.meshagent\.com \(no such service account\)/);
    // Create them in the (persisted) local room, as a user would through the API, and point the config at them.
    // --local keeps its room beside the config file (.meshdeploy/local/ next to it).
    const { email, secretId } = await accountInDataDir(path.join(dir, path.dirname(CONFIG), ".meshdeploy", "local"));
    const config = path.join(dir, CONFIG);
    await writeFile(config, (await readFile(config, "utf8")).replace("sec_db", secretId).replace("api-bot@acme.serviceaccounts.meshagent.com", email));
    const applied = await cli(dir, ["apply", "--yes", "--wait-timeout", "30"]);
    assert.equal(applied.code, 0, applied.out);
    assert.match(applied.out, /MeshAgent 0\.50\.1 \(from --platform\)/);
    assert.match(applied.out, /Apply complete: 2 created/);
    assert.doesNotMatch(applied.out, /acme-batch waiting/, "a disabled service is not waited for");
    const again = await cli(dir, ["plan", "--detailed-exitcode"]);
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /No changes\. 2 services up to date\./);
  });

  it("a 0.39 project mount is a located plan problem, nothing written", async () => {
    const dir = await project();
    await writeFile(path.join(dir, CONFIG), "version: 1\nroom: current\nservices:\n  - tag: acme/old:1\n    mounts: {project: [\"shared:/shared\"]}\n");
    const planned = await cli(dir, ["apply", "--yes"]);
    assert.equal(planned.code, 1, planned.out);
    assert.match(planned.out, /`mounts\.project` \(.*\.meshdeploy\.yaml:\d+:\d+\): MeshAgent 0\.50\.1 has no project mounts/);
    // The plan lists and counts its problems once; the error adds no second count.
    assert.match(planned.out, /Plan has 1 problem; nothing can be applied until it is fixed\./);
  });
});
