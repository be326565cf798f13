// Provenance end to end: a config committed in a temporary git repository, applied through
// runCli to the real local room. Every written service carries the commit, the dirty flag and the
// source; a new commit that changes nothing for a service leaves it alone; --require-clean refuses
// a dirty tree naming its files.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import type { LiveService } from "../../src/model/service-spec.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { initRepo, type TestRepo } from "../helpers/git-repo.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";

const CONFIG = `version: 1
room: dev
owner: prov
services:
  - tag: acme/web:1
    env: {APP_ENV: dev}
  - tag: acme/api:1
`;

describe("provenance against the local room", () => {
  let h: Harness;
  let repo: TestRepo;
  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
    repo = await initRepo(path.join(h.projectDir, "shop"));
    await repo.git.addRemote("origin", "https://deploy-bot:ghp_NOT_A_REAL_TOKEN_123@github.com/acme/shop.git");
  });
  after(() => h.close());

  async function cli(args: string[]): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(repo.dir, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    return { code: await runCli(args, io), io };
  }
  async function annotations(name: string): Promise<Record<string, string>> {
    const service: LiveService | undefined = (await h.target().listServices("dev")).find((s) => s.metadata.name === name);
    return service?.metadata.annotations ?? {};
  }
  const provenanceOf = (a: Record<string, string>) => [a["meshdeploy.git-sha"], a["meshdeploy.git-dirty"], a["meshdeploy.source"]];

  it("every service written records the commit, the dirty flag and the source without credentials", async () => {
    const sha = await repo.commit({ ".meshdeploy.yaml": CONFIG }, "first");
    const r = await cli(["apply", "--yes", "--no-wait"]);
    assert.equal(r.code, 0, r.io.all());
    assert.match(r.io.stderr[0] ?? "", new RegExp(`owner prov · MeshAgent 0\\.50\\.1 \\(reported by the server\\) · commit ${sha.slice(0, 7)}$`));
    for (const name of ["acme-web", "acme-api"]) {
      assert.deepEqual(provenanceOf(await annotations(name)), [sha, "false", "https://github.com/acme/shop.git#.meshdeploy.yaml"]);
    }
  });

  it("a new commit that changes nothing for a service does not rewrite it; a changed service gets the new commit", async () => {
    const first = (await annotations("acme-web"))["meshdeploy.git-sha"];
    await repo.commit({ "README.md": "docs only\n" }, "docs");
    const quiet = await cli(["plan", "--detailed-exitcode"]);
    assert.equal(quiet.code, 0, quiet.io.all());
    const sha = await repo.commit({ ".meshdeploy.yaml": CONFIG.replace("APP_ENV: dev", "APP_ENV: prod") }, "prod");
    const r = await cli(["apply", "--yes", "--no-wait"]);
    assert.equal(r.code, 0, r.io.all());
    assert.match(r.io.stdout.join("\n"), /1 updated, 0 deleted, 1 unchanged/);
    assert.equal((await annotations("acme-web"))["meshdeploy.git-sha"], sha);
    assert.equal((await annotations("acme-api"))["meshdeploy.git-sha"], first);
  });

  it("records uncommitted changes as dirty, and --require-clean refuses them with the list of files", async () => {
    await writeFile(path.join(repo.dir, ".meshdeploy.yaml"), CONFIG.replace("APP_ENV: dev", "APP_ENV: qa"));
    await writeFile(path.join(repo.dir, "scratch.txt"), "x");
    const refused = await cli(["apply", "--yes", "--no-wait", "--require-clean"]);
    assert.equal(refused.code, 1);
    assert.deepEqual(refused.io.stderr.join("\n").split("\n").slice(0, 3), [
      `error: --require-clean: the work tree at ${repo.dir} has 2 uncommitted changes; nothing was changed:`,
      "   M .meshdeploy.yaml",
      "  ?? scratch.txt",
    ]);
    assert.equal((await annotations("acme-web"))["meshdeploy.git-dirty"], "false");
    const applied = await cli(["apply", "--yes", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.equal((await annotations("acme-web"))["meshdeploy.git-dirty"], "true");
    const planned = await cli(["plan", "--require-clean"]);
    assert.equal(planned.code, 1);
  });
});
