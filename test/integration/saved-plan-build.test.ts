// Saved plans with builds: the plan is portable between checkouts (contexts are stored relative
// to the config), builds exactly the saved context, and is refused when a context changed since.
import assert from "node:assert/strict";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { forEachPlatform } from "../helpers/platforms.js";

const CONFIG = "version: 1\nroom: dev\nowner: built\nservices:\n  - tag: web:1\n    build: ./web\n";

forEachPlatform("saved plans with builds", (platform) => {
  let h: Harness;
  let other: string;
  before(async () => {
    h = await startHarness({ rooms: ["dev"], platform });
    other = await tempDir();
    await mkdir(path.join(h.projectDir, "web"), { recursive: true });
    await writeFile(path.join(h.projectDir, "web/Dockerfile"), "FROM node:20-alpine\nCOPY server.js .\nEXPOSE 8000\nCMD [\"node\", \"server.js\"]\n");
    await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(1)\n");
    await h.writeConfig(CONFIG);
  });
  after(async () => {
    await h.close();
  });
  // Registered after the hook above: the dirs are removed once the harness has closed.
  const tempDir = suiteTempDirs("checkout");

  async function cli(cwd: string, args: string[]): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(cwd, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    return { code: await runCli(args, io), io };
  }

  it("a plan made in one checkout builds and applies from another checkout of the same files", async () => {
    assert.equal((await cli(h.projectDir, ["plan", "--out", "plan.json"])).code, 0);
    const saved = JSON.parse(await readFile(path.join(h.projectDir, "plan.json"), "utf8"));
    assert.equal(saved.plan.services[0].build.context, "web");
    await cp(h.projectDir, other, { recursive: true });
    const applied = await cli(other, ["apply", "plan.json", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.deepEqual(h.room.builds().map((b) => [b.tag, b.status]), [["registry.meshagent.com/local/web:1", "succeeded"]]);
  });

  it("is refused when a build context changed after the plan, before anything is built", async () => {
    await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(2)\n");
    assert.equal((await cli(h.projectDir, ["plan", "--out", "plan.json"])).code, 0);
    await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(3)\n");
    const refused = await cli(h.projectDir, ["apply", "plan.json", "--no-wait"]);
    assert.equal(refused.code, 1);
    assert.match(refused.io.all(), /build: the context of local-web \(room dev\) changed since the plan was made/);
    assert.equal(h.room.builds().length, 1);
  });
});
