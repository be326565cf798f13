// Moving between owners (issue 12, item 2; new-user audit defect 1), through runCli against the
// real local room: another owner's service is an ownership conflict — said so, with the way out —
// in plan, apply and sync (never "invalid config"); `--adopt-from OWNER` or `previousOwners:`
// takes that owner's services over in one reviewed plan (with prune, its undeclared ones go too).
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { OWNER } from "../../src/model/annotations.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { initRepo, type TestRepo } from "../helpers/git-repo.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const OLD = "version: 1\nroom: dev\nowner: deploy\nservices:\n  - tag: acme/web:1\n  - tag: acme/api:1\n  - tag: acme/cron:1\n";
const NEW = "version: 1\nroom: dev\nservices:\n  - tag: acme/web:1\n  - tag: acme/api:1\n";

describe("adopting an earlier owner's services", () => {
  let h: Harness;
  let repo: TestRepo;
  let work: string;
  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
  });
  after(() => h.close());
  const tempDir = suiteTempDirs("adopt");
  beforeEach(async () => {
    for (const s of await h.target().listServices("dev")) await h.target().deleteService("dev", s.id);
    const dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    repo = await initRepo(path.join(dir, "shop"));
    await repo.git.addRemote("origin", `file://${path.join(dir, "origin.git")}`);
    work = repo.dir;
    await repo.commit({ ".meshdeploy.yaml": OLD }, "old owner");
    assert.equal((await cli(work, ["apply", "--yes", "--no-wait"])).code, 0);
    await repo.commit({ ".meshdeploy.yaml": NEW }, "default owner");
    await repo.git.push("origin", "main");
  });

  async function cli(cwd: string, args: string[]): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(cwd, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    return { code: await runCli(args, io), io };
  }
  const owners = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await h.target().listServices("dev")).map((s) => [s.metadata.name, s.metadata.annotations?.[OWNER] ?? ""]).sort());

  it("an ownership conflict names itself and the way out, and changes nothing", async () => {
    const plan = await cli(work, ["plan"]);
    assert.equal(plan.code, 1, plan.io.all());
    assert.match(plan.io.all(), /✗ acme-web in room dev: ownership conflict: service acme-web in room dev is managed by meshdeploy owner "deploy", not "origin-[0-9a-f]{12}"/);
    assert.match(plan.io.all(), /hint: .*--adopt-from deploy.*previousOwners: \[deploy\]/);
    const apply = await cli(work, ["apply", "--yes", "--no-wait"]);
    assert.equal(apply.code, 1);
    assert.deepEqual(Object.values(await owners()), ["deploy", "deploy", "deploy"]);
  });

  it("--adopt-from takes them over in one reviewed plan; with prune the undeclared one goes; then nothing is left to adopt", async () => {
    const plan = await cli(work, ["plan", "--adopt-from", "deploy", "--prune", "--output", "json"]);
    assert.equal(plan.code, 0, plan.io.all());
    const json = JSON.parse(plan.io.stdout.join("\n"));
    assert.deepEqual(json.services.map((s: { name: string; action: string }) => `${s.action} ${s.name}`), ["update acme-web", "update acme-api", "delete acme-cron"]);
    assert.match(json.services[0].reason, /^adopting from meshdeploy owner "deploy"/);
    assert.match(json.services[2].reason, /owned by deploy \(adopted by origin-[0-9a-f]{12}\)/);
    const apply = await cli(work, ["apply", "--adopt-from", "deploy", "--prune", "--yes", "--no-wait"]);
    assert.equal(apply.code, 0, apply.io.all());
    const now = await owners();
    assert.deepEqual(Object.keys(now), ["acme-api", "acme-web"]);
    assert.ok(Object.values(now).every((o) => /^origin-[0-9a-f]{12}$/.test(o)), JSON.stringify(now));
    const after = await cli(work, ["plan", "--detailed-exitcode"]);
    assert.equal(after.code, 0, after.io.all());
    assert.match((await cli(work, ["plan", "--adopt-from", "Not Valid"])).io.all(), /--adopt-from expects an owner scope/);
  });

  it("previousOwners: in the config does the same; without prune the undeclared one is an orphan", async () => {
    await repo.commit({ ".meshdeploy.yaml": NEW.replace("room: dev\n", "room: dev\npreviousOwners: [deploy]\n") }, "adopt");
    const apply = await cli(work, ["apply", "--yes", "--no-wait"]);
    assert.equal(apply.code, 0, apply.io.all());
    assert.match(apply.io.all(), /1 service owned by origin-[0-9a-f]{12} no longer declared: acme-cron \(room dev\)/);
    assert.deepEqual(Object.values(await owners()).map((o) => o.replace(/-[0-9a-f]{12}$/, "")), ["origin", "deploy", "origin"]);
  });

  it("sync reports the conflict as an ownership conflict, not an invalid config; --adopt-from resolves it", async () => {
    const runner = await tempDir();
    const origin = (await repo.git.remote(["get-url", "origin"]))!.trim();
    const conflict = await cli(runner, ["sync", "--repo", origin, "--once", "--no-wait"]);
    assert.equal(conflict.code, 1, conflict.io.all());
    assert.match(conflict.io.all(), /default owner: ownership conflict, skipped \(the plan has 2 problem\(s\): acme-web in room dev: ownership conflict/);
    assert.doesNotMatch(conflict.io.all(), /invalid config/);
    const adopted = await cli(runner, ["sync", "--repo", origin, "--once", "--no-wait", "--adopt-from", "deploy"]);
    assert.equal(adopted.code, 0, adopted.io.all());
    // The refused commit was not kept as a good state: the restarted loop applies it as new.
    assert.match(adopted.io.all(), /default owner: applied \(0 created, 2 updated, 0 deleted\)/);
    assert.match(adopted.io.all(), /adopting from meshdeploy owner "deploy"/);
    const checkout = await cli(work, ["plan", "--detailed-exitcode"]);
    assert.equal(checkout.code, 0, checkout.io.all());
  });
});
