// `meshdeploy init` (issue 17 item 5), on each generation: from a build context (EXPOSE → ports,
// VOLUME → mounts) a config with the schema modeline that validates and plans a create; from a
// room (--from-room) the import; never over an existing file.
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { call, PID, servicesPath, startHarness, TOKEN, type Harness } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

forEachPlatform("meshdeploy init", (platform) => {
  const tempDir = suiteTempDirs(`init-${platform}`);
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform, rooms: ["dev"] });
  });
  after(() => h.close());

  it("from a Dockerfile: ports from EXPOSE, mounts for VOLUME, the modeline; validates and plans one create; refuses to overwrite", async () => {
    const dir = path.join(await tempDir(), "My Web");
    await mkdir(dir);
    await writeFile(path.join(dir, "Dockerfile"), "FROM node:20\nEXPOSE 8000\nVOLUME /var/lib/data\nCMD [\"node\", \"index.js\"]\n");
    const run = (args: string[]) => runInProcess(args, { cwd: path.dirname(dir) });
    const init = await run(["init", "My Web", "--room", "dev"]);
    assert.equal(init.code, 0, init.stderr);
    assert.match(init.stderr, /one service built from Dockerfile, ports 8000, mounts for \/var\/lib\/data, room dev/);
    const text = await readFile(path.join(dir, ".meshdeploy.yaml"), "utf8");
    assert.match(text, /^# yaml-language-server: \$schema=\S*schemas\/meshdeploy\.schema\.json\n/);
    assert.match(text, /tag: my-web:1\n {4}build: \.\n/);
    assert.match(text, /- num: 8000\n {8}type: http\n {8}published: true/);
    assert.match(text, /source: data\n {10}path: \/var\/lib\/data/);
    assert.equal((await runInProcess(["validate"], { cwd: dir })).code, 0);
    const plan = await runInProcess(["plan", "--local", "--platform", platform, "--detailed-exitcode"], { cwd: dir });
    assert.equal(plan.code, 2, plan.stdout + plan.stderr);
    assert.match(plan.stdout, /\+ local-my-web/);
    const again = await run(["init", "My Web"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; nothing was written/);
    assert.equal(await readFile(path.join(dir, ".meshdeploy.yaml"), "utf8"), text);
  });

  it("without a Dockerfile it names --from-room; --from-room imports the room", async () => {
    const dir = await tempDir();
    const none = await runInProcess(["init"], { cwd: dir });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /--from-room ROOM/);
    const created = await call(h.room.url, "POST", servicesPath(), { version: "v1", kind: "Service", metadata: { name: "local-api", annotations: { "meshagent.service.id": "local-api" } }, container: { image: "registry.meshagent.com/local/api:3" } });
    assert.equal(created.status, 200, created.text);
    const env = { MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID };
    const fromRoom = await runInProcess(["init", "--from-room", "dev", "--api-url", h.room.url], { cwd: dir, env });
    assert.equal(fromRoom.code, 0, fromRoom.stderr);
    const text = await readFile(path.join(dir, ".meshdeploy.yaml"), "utf8");
    assert.match(text, /^# yaml-language-server: \$schema=/);
    assert.match(text, /tag: registry\.meshagent\.com\/local\/api:3/);
  });
});
