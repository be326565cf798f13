// plan checks secrets (issue 17 item 3): a missing secret is a plan problem naming the exact
// `meshdeploy secret set …`; running that command makes the plan clean; --no-secret-check skips the
// look-up; the look-up is one listing per room identity (0.39) or per service account (0.45+).
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { planDesired } from "../../src/reconcile.js";
import { runInProcess } from "../helpers/capture-io.js";
import { call, PID, startHarness, TOKEN, type Harness } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";

forEachPlatform("plan checks secrets", (platform) => {
  let h: Harness;
  let env: Record<string, string>;
  let runAs = "";
  before(async () => {
    h = await startHarness({ platform });
    env = { MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID };
    if (platform === "0.50.1") {
      const account = await call(h.room.url, "POST", `/accounts/projects/${PID}/service-accounts`, { name: "bot" });
      runAs = `    runAs: {email: ${account.body.email}}\n`;
    }
  });
  after(() => h.close());
  const cli = (args: string[], stdin?: string) => runInProcess([...args, "--api-url", h.room.url], { cwd: h.projectDir, env, ...(stdin === undefined ? {} : { stdin }) });
  const config = (id: string) =>
    `version: 1\nroom: dev\nowner: sec\nservices:\n` +
    [`  - tag: sec/a:1\n    identity: bot\n`, `  - tag: sec/b:1\n    identity: bot\n`]
      .map((head) => `${head}${platform === "0.39.9" ? "    token: agentDefault\n" : ""}    secrets: {DB: ${id}}\n${runAs}`)
      .join("");

  it("a missing secret is a problem naming the command; that command makes the plan clean; --no-secret-check skips the look-up", async () => {
    await h.writeConfig(config("db-password"));
    const missing = await cli(["plan"]);
    assert.equal(missing.code, 1, missing.stdout + missing.stderr);
    const command = platform === "0.39.9" ? "meshdeploy secret set db-password --room dev --identity bot" : `meshdeploy secret set db-password --run-as ${runAs.match(/email: (\S+)\}/)![1]}`;
    assert.ok(missing.stdout.includes(`hint: create it: printf %s "$VALUE" | ${command}`), missing.stdout);
    assert.match(missing.stdout, /DB → secret db-password .* does not exist/);

    const skipped = await cli(["plan", "--no-secret-check"]);
    assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);

    const set = await cli([...command.split(" ").slice(1)], "s3cret");
    assert.equal(set.code, 0, set.stderr);
    // 0.45+: the server assigns the id; the config refers to it.
    const id = platform === "0.39.9" ? "db-password" : JSON.parse((await cli(["secret", "list", "--run-as", command.split(" ").at(-1)!, "--output", "json"])).stdout).secrets[0].id;
    await h.writeConfig(config(id));
    const clean = await cli(["plan"]);
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    assert.ok(!(clean.stdout + clean.stderr).includes("s3cret"));
  });

  it("looks secrets up once per owner, not once per secret", async () => {
    await h.writeConfig(config("nope-1"));
    const desired = await loadConfig(`${h.projectDir}/.meshdeploy.yaml`);
    const requests = async (secretCheck: boolean) => {
      const target = h.target();
      const run = await planDesired(target, desired, { secretCheck });
      return { run, count: target.requestCount() };
    };
    const unchecked = await requests(false);
    assert.equal(unchecked.run.secrets, undefined);
    assert.equal(unchecked.run.plan.problems.length, 0);
    const checked = await requests(true);
    assert.equal(checked.run.secrets?.check.missing.length, 2);
    assert.equal(checked.run.plan.problems.length, 2);
    // Two services, one identity (0.39) or account (0.45+): one listing (+ the account look-up at 0.45+).
    assert.equal(checked.count - unchecked.count, platform === "0.39.9" ? 1 : 2);
  });
});
