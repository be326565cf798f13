// The default owner end to end (issue 12 "Done means"), through runCli against the real local
// room: the two `…/deploy/` configs of audit H3 no longer prune each other; `sync` with and
// without `--ref main`, with another spelling of the URL, and a developer checkout of the same
// repository all plan against one owner; outside git, prune refuses the directory-name owner.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { simpleGit } from "simple-git";
import { runCli } from "../../src/cli/run.js";
import { OWNER } from "../../src/model/annotations.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { initRepo } from "../helpers/git-repo.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const TEAM_A = "version: 1\nroom: dev\nprune: true\nservices:\n  - tag: teama/api:1\n  - tag: teama/db:1\n";
const TEAM_B = "version: 1\nroom: dev\nprune: true\nservices:\n  - tag: teamb/web:1\n";

describe("the default owner", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
  });
  after(() => h.close());
  const tempDir = suiteTempDirs("default-owner");

  async function cli(cwd: string, args: string[]): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(cwd, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    return { code: await runCli(args, io), io };
  }
  async function clear(): Promise<void> {
    for (const s of await h.target().listServices("dev")) await h.target().deleteService("dev", s.id);
  }
  const owners = async (): Promise<Record<string, string>> =>
    Object.fromEntries((await h.target().listServices("dev")).map((s) => [s.metadata.name, s.metadata.annotations?.[OWNER] ?? ""]));

  it("audit H3: two unrelated repositories' deploy/ configs, both with prune: true, leave each other alone", async () => {
    await clear();
    const dir = await tempDir();
    for (const [team, config] of [["teamA", TEAM_A], ["teamB", TEAM_B]] as const) {
      const repo = await initRepo(path.join(dir, team));
      await repo.git.addRemote("origin", `https://github.com/${team}/infra.git`);
      await repo.commit({ "deploy/.meshdeploy.yaml": config }, "config");
    }
    const a = await cli(path.join(dir, "teamA", "deploy"), ["apply", "--yes", "--no-wait"]);
    assert.equal(a.code, 0, a.io.all());
    assert.match(a.io.all(), /owner infra-deploy-[0-9a-f]{12} \(from git github\.com\/teama\/infra, deploy\/\.meshdeploy\.yaml\)/);
    const b = await cli(path.join(dir, "teamB", "deploy"), ["apply", "--yes", "--no-wait"]);
    assert.equal(b.code, 0, b.io.all());
    assert.doesNotMatch(b.io.all(), /✓ \S+ deleted/);
    assert.deepEqual(Object.keys(await owners()).sort(), ["teama-api", "teama-db", "teamb-web"]);
    const again = await cli(path.join(dir, "teamA", "deploy"), ["plan", "--detailed-exitcode"]);
    assert.equal(again.code, 0, again.io.all());
  });

  it("outside git the directory name serves plan and apply, but prune refuses it before any write", async () => {
    await clear();
    const dir = await tempDir();
    for (const [team, config] of [["teamA", TEAM_A], ["teamB", TEAM_B]] as const) {
      await mkdir(path.join(dir, team, "deploy"), { recursive: true });
      await writeFile(path.join(dir, team, "deploy", ".meshdeploy.yaml"), config.replace("prune: true\n", ""));
    }
    const a = await cli(path.join(dir, "teamA", "deploy"), ["apply", "--yes", "--no-wait"]);
    assert.equal(a.code, 0, a.io.all());
    assert.match(a.io.all(), /owner deploy \(the directory name: no git remote; prune needs an explicit owner:\)/);
    const b = await cli(path.join(dir, "teamB", "deploy"), ["apply", "--prune", "--yes", "--no-wait"]);
    assert.equal(b.code, 1, b.io.all());
    assert.match(b.io.all(), /prune needs an explicit owner: .* defaulted to its directory's name "deploy".*nothing was changed/);
    assert.match(b.io.all(), /hint: write `owner: /);
    assert.deepEqual(Object.keys(await owners()).sort(), ["teama-api", "teama-db"]);
    const plan = await cli(path.join(dir, "teamB", "deploy"), ["plan", "--prune"]);
    assert.equal(plan.code, 1, plan.io.all());
    await writeFile(path.join(dir, "teamB", "deploy", ".meshdeploy.yaml"), "owner: team-b\n" + TEAM_B);
    const owned = await cli(path.join(dir, "teamB", "deploy"), ["apply", "--yes", "--no-wait"]);
    assert.equal(owned.code, 0, owned.io.all());
    assert.match(owned.io.all(), /owner team-b · /);
    assert.deepEqual(Object.keys(await owners()).sort(), ["teama-api", "teama-db", "teamb-web"]);
  });

  it("sync with and without --ref main, another URL spelling, and a developer checkout plan against one owner", async () => {
    await clear();
    const dir = await tempDir();
    const origin = path.join(dir, "gitops.git");
    await initRepo(origin, { bare: true });
    const dev = await initRepo(path.join(dir, "dev-checkout"));
    await dev.git.addRemote("origin", `file://${origin}`);
    await dev.commit({ ".meshdeploy.yaml": "version: 1\nroom: dev\nservices:\n  - tag: acme/site:1\n" }, "site");
    await dev.git.push("origin", "main");
    const runner = await tempDir();
    const first = await cli(runner, ["sync", "--repo", `file://${origin}`, "--once", "--no-wait"]);
    assert.equal(first.code, 0, first.io.all());
    assert.match(first.io.all(), /applied/);
    const owner = (await owners())["acme-site"]!;
    assert.match(owner, /^gitops-[0-9a-f]{12}$/);
    for (const args of [["--ref", "main"], []]) {
      for (const url of [`file://${origin}`, `${origin}/`, "gitops.git"]) {
        const cwd = url === "gitops.git" ? dir : runner;
        const again = await cli(cwd, ["sync", "--repo", url, ...args, "--once", "--no-wait"]);
        assert.equal(again.code, 0, `${url} ${args.join(" ")}: ${again.io.all()}`);
        assert.match(again.io.all(), /up to date/, `${url} ${args.join(" ")}`);
      }
    }
    const checkout = await cli(dev.dir, ["plan", "--detailed-exitcode"]);
    assert.equal(checkout.code, 0, checkout.io.all());
    assert.match(checkout.io.all(), new RegExp(`owner ${owner} \\(from git ${origin.replace(/\.git$/, "").replace(/[/.]/g, "\\$&")}, \\.meshdeploy\\.yaml\\)`));
    // A CI-style clone (actions/checkout clones over https; here the plain path) agrees too.
    await simpleGit({ baseDir: dir }).clone(origin, path.join(dir, "ci-checkout"));
    const ci = await cli(path.join(dir, "ci-checkout"), ["plan", "--detailed-exitcode", "--output", "json"]);
    assert.equal(ci.code, 0, ci.io.all());
    const json = JSON.parse(ci.io.stdout.join("\n"));
    assert.equal(json.owner, owner);
    assert.deepEqual(json.ownerSource, { type: "git", remote: origin.replace(/\.git$/, ""), path: ".meshdeploy.yaml" });
  });
});
