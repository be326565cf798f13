// `meshdeploy secret set|list|delete` against the local room of each generation, through runCli:
// the value comes from stdin or --from-env, is stored, and never appears in any output.
import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { call, PID, startHarness, TOKEN, type Harness } from "../helpers/local-room.js";
import { runInProcess } from "../helpers/capture-io.js";
import { forEachPlatform } from "../helpers/platforms.js";

const VALUE = "hunter2-very-secret-value";

forEachPlatform("meshdeploy secret", (platform) => {
  let h: Harness;
  let env: Record<string, string>;
  let owner: string[];
  before(async () => {
    h = await startHarness({ platform });
    env = { MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID, DB_VALUE: VALUE };
    if (platform === "0.39.9") owner = ["--room", "dev", "--identity", "web"];
    else {
      const account = await call(h.room.url, "POST", `/accounts/projects/${PID}/service-accounts`, { name: "web" });
      owner = ["--run-as", account.body.email];
    }
  });
  after(() => h.close());
  const cli = (args: string[], stdin?: string) => runInProcess([...args, "--api-url", h.room.url], { cwd: h.projectDir, env, ...(stdin === undefined ? {} : { stdin }) });

  it("set from stdin, set again from --from-env, list, delete; the value is stored and never printed", async () => {
    const created = await cli(["secret", "set", "db-password", ...owner, "--output", "json"], `${VALUE}\n`);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stderr, /Created secret db-password/);
    const id: string = JSON.parse(created.stdout).id;
    const stored = async (): Promise<string> => {
      if (platform === "0.39.9") return Buffer.from((await call(h.room.url, "GET", `/accounts/projects/${PID}/rooms/dev/secrets/${id}?for_identity=web`)).body.data_base64, "base64").toString();
      const accounts = (await call(h.room.url, "GET", `/accounts/projects/${PID}/service-accounts`)).body.service_accounts;
      const secret = await call(h.room.url, "GET", `/accounts/projects/${PID}/service-accounts/${accounts[0].id}/secrets/${id}?include_value=true`);
      return Buffer.from(secret.body.value_base64, "base64").toString();
    };
    assert.equal(await stored(), VALUE, "one trailing newline dropped");

    const again = await cli(["secret", "set", "db-password", ...owner, "--from-env", "DB_VALUE"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /Updated secret db-password/);
    assert.equal(await stored(), VALUE);

    const listed = await cli(["secret", "list", ...owner, "--output", "json"]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(JSON.parse(listed.stdout).secrets.map((s: { id: string }) => s.id), [id]);

    const deleted = await cli(["secret", "delete", "db-password", ...owner]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.match(deleted.stderr, /Deleted secret db-password/);
    const gone = await cli(["secret", "delete", "db-password", ...owner]);
    assert.match(gone.stderr, /did not exist/);
    for (const result of [created, again, listed, deleted, gone]) {
      const all = result.stdout + result.stderr;
      assert.ok(!all.includes(VALUE) && !all.includes(Buffer.from(VALUE).toString("base64")), all);
    }
  });

  it("refuses a value on a terminal, an empty value, an unset --from-env and the other generation's owner flag; nothing is written", async () => {
    const noStdin = await runInProcess(["secret", "set", "x", ...owner, "--api-url", h.room.url], { cwd: h.projectDir, env });
    assert.equal(noStdin.code, 1);
    assert.match(noStdin.stderr, /pipe the value on stdin or name a variable with --from-env/);
    assert.equal((await cli(["secret", "set", "x", ...owner], "\n")).code, 1);
    assert.match((await cli(["secret", "set", "x", ...owner, "--from-env", "NOPE"])).stderr, /NOPE: that variable is not set/);
    const wrong = platform === "0.39.9" ? ["--run-as", "web@example.com"] : ["--room", "dev", "--identity", "web"];
    const refused = await cli(["secret", "set", "x", ...wrong], VALUE);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, platform === "0.39.9" ? /give --identity NAME/ : /give --run-as EMAIL/);
    assert.ok(!refused.stderr.includes(VALUE));
  });
});
