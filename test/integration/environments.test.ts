// Environments through runCli against the real local room (issue 16): `-e staging` and `-e prod`
// deploy one config into separate rooms under separate owners; prune in one environment never
// touches another's services, even in a shared room; every command that reads the config takes
// -e (or MESHDEPLOY_ENVIRONMENT) and refuses a config with environments when none is chosen; a
// saved plan keeps its environment and refuses another.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { OWNER } from "../../src/model/annotations.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { initRepo } from "../helpers/git-repo.js";
import { call, type Harness, PID, startHarness, TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const ROOMS = ["staging", "prod", "shared"];

const CONFIG = `version: 1
owner: shop
services:
  - tag: acme/web:1
    env: {APP_ENV: base}
  - tag: acme/api:1
    environments: [prod]
environments:
  staging:
    room: staging
    services:
      acme-web:
        env: {APP_ENV: staging}
  prod:
    room: prod
    services:
      acme-web:
        env: {APP_ENV: prod}
`;

/** Both environments in one room: names kept apart with `name:`, owners by the environment. */
const SHARED = `version: 1
room: shared
owner: shop
services:
  - tag: acme/web:1
    name: web
  - tag: acme/api:1
    environments: [prod]
environments:
  staging:
    services:
      web: {name: web-staging}
  prod: {}
`;

describe("environments", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ROOMS, platform: "0.50.1" });
  });
  after(() => h.close());
  beforeEach(async () => {
    for (const room of ROOMS) for (const s of await h.target().listServices(room)) await h.target().deleteService(room, s.id);
  });

  async function cli(args: string[], env: Record<string, string> = {}, cwd = h.projectDir): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(cwd, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local", ...env });
    return { code: await runCli(args, io), io };
  }
  const owners = async (room: string): Promise<Record<string, string>> =>
    Object.fromEntries((await h.target().listServices(room)).map((s) => [s.metadata.name, s.metadata.annotations?.[OWNER] ?? ""]).sort());

  it("apply -e staging, then -e prod (from MESHDEPLOY_ENVIRONMENT): separate rooms, separate owners, overlay values", async () => {
    await h.writeConfig(CONFIG);
    const staging = await cli(["apply", "-e", "staging", "--yes", "--no-wait"]);
    assert.equal(staging.code, 0, staging.io.all());
    assert.match(staging.io.all(), /meshdeploy apply · .* · environment staging · owner shop\.staging/);
    const prod = await cli(["apply", "--yes", "--no-wait"], { MESHDEPLOY_ENVIRONMENT: "prod" });
    assert.equal(prod.code, 0, prod.io.all());
    assert.deepEqual(await owners("staging"), { "acme-web": "shop.staging" });
    assert.deepEqual(await owners("prod"), { "acme-api": "shop.prod", "acme-web": "shop.prod" });
    const web = (await h.target().listServices("prod")).find((s) => s.metadata.name === "acme-web");
    assert.ok(JSON.stringify(web).includes('"prod"'), "the prod overlay's APP_ENV is deployed");
    // -e wins over MESHDEPLOY_ENVIRONMENT; each is converged.
    const again = await cli(["plan", "-e", "staging", "--detailed-exitcode"], { MESHDEPLOY_ENVIRONMENT: "prod" });
    assert.equal(again.code, 0, again.io.all());
    assert.match(again.io.all(), /environment staging/);
  });

  it("prune with -e staging never touches a prod-owned service in the same room", async () => {
    await h.writeConfig(SHARED);
    const prod = await cli(["apply", "-e", "prod", "--yes", "--no-wait"]);
    assert.equal(prod.code, 0, prod.io.all());
    const staging = await cli(["apply", "-e", "staging", "--prune", "--yes", "--no-wait"]);
    assert.equal(staging.code, 0, staging.io.all());
    assert.deepEqual(await owners("shared"), { "acme-api": "shop.prod", web: "shop.prod", "web-staging": "shop.staging" });
    // Staging drops its web: prune deletes exactly that one.
    await h.writeConfig(SHARED.replace("      web: {name: web-staging}", "      web: null"));
    const pruned = await cli(["apply", "-e", "staging", "--prune", "--yes", "--no-wait"]);
    assert.equal(pruned.code, 0, pruned.io.all());
    assert.deepEqual(await owners("shared"), { "acme-api": "shop.prod", web: "shop.prod" });
    // destroy -e staging finds nothing of its own; prod's services stay.
    const destroy = await cli(["destroy", "-e", "staging", "--yes"]);
    assert.equal(destroy.code, 0, destroy.io.all());
    assert.match(destroy.io.all(), /Nothing to destroy: no service in the project is managed by owner shop\.staging/);
    assert.deepEqual(await owners("shared"), { "acme-api": "shop.prod", web: "shop.prod" });
    // destroy -e prod deletes prod's, nothing else.
    assert.equal((await cli(["destroy", "-e", "prod", "--yes"])).code, 0);
    assert.deepEqual(await owners("shared"), {});
  });

  it("every config-reading command refuses a config with environments when none is chosen, listing them", async () => {
    await h.writeConfig(CONFIG);
    for (const args of [["plan"], ["apply", "--yes"], ["status"], ["destroy", "--yes"], ["logs", "acme-web"], ["secret", "list", "--run-as", "a@b.c"]]) {
      const { code, io } = await cli(args);
      assert.equal(code, 1, `${args.join(" ")}: ${io.all()}`);
      assert.match(io.all(), /declares environments \(staging, prod\): choose one with -e\/--environment NAME/, args.join(" "));
    }
    assert.deepEqual(await owners("staging"), {});
    const unknown = await cli(["plan", "-e", "prdo"]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.io.all(), /unknown environment "prdo"; did you mean "prod"\?/);
  });

  it("plan -e: the JSON and markdown name the environment; status -e reads that environment's services", async () => {
    await h.writeConfig(CONFIG);
    const json = await cli(["plan", "-e", "prod", "--output", "json"]);
    assert.equal(json.code, 0, json.io.all());
    const plan = JSON.parse(json.io.stdout.join("\n")) as { environment: string; owner: string; services: { room: string }[] };
    assert.equal(plan.environment, "prod");
    assert.equal(plan.owner, "shop.prod");
    assert.deepEqual([...new Set(plan.services.map((s) => s.room))], ["prod"]);
    // -e composes with targeting: the environment's services, narrowed by name.
    const targeted = await cli(["plan", "-e", "prod", "--service", "acme-api", "--output", "json"]);
    assert.equal(targeted.code, 0, targeted.io.all());
    const narrowed = JSON.parse(targeted.io.stdout.join("\n")) as { environment: string; services: { name: string }[] };
    assert.deepEqual([narrowed.environment, narrowed.services.map((s) => s.name)], ["prod", ["acme-api"]]);
    const markdown = await cli(["plan", "-e", "prod", "--output", "markdown"]);
    assert.match(markdown.io.stdout.join("\n"), /environment `prod` · owner `shop\.prod`/);
    assert.equal((await cli(["apply", "-e", "staging", "--yes", "--no-wait"])).code, 0);
    const status = await cli(["status", "-e", "staging", "--output", "json"]);
    assert.equal(status.code, 0, status.io.all());
    assert.match(status.io.stdout.join("\n"), /acme-web/);
    assert.doesNotMatch(status.io.stdout.join("\n"), /acme-api/);
    // logs -e looks in that environment's room.
    const logs = await cli(["logs", "acme-web", "-e", "staging"]);
    assert.doesNotMatch(logs.io.all(), /has no service named/, logs.io.all());
    const elsewhere = await cli(["logs", "acme-web", "-e", "prod"]);
    assert.equal(elsewhere.code, 1);
    assert.match(elsewhere.io.all(), /room prod has no service named acme-web/);
    // secret -e reads the environment's config (0.50.1: a service account's secrets).
    const account = await call(h.room.url, "POST", `/accounts/projects/${PID}/service-accounts`, { name: "web" });
    const secrets = await cli(["secret", "list", "-e", "staging", "--run-as", account.body.email, "--output", "json"]);
    assert.equal(secrets.code, 0, secrets.io.all());
    assert.deepEqual(JSON.parse(secrets.io.stdout.join("\n")).secrets, []);
  });

  it("validate: every environment without -e, one with -e; a problem in one overlay is located and names it", async () => {
    await h.writeConfig(CONFIG);
    const all = await cli(["validate"]);
    assert.equal(all.code, 0, all.io.all());
    assert.match(all.io.all(), /\(environment staging\) is valid: 1 service in 1 room, owner shop\.staging/);
    assert.match(all.io.all(), /\(environment prod\) is valid: 2 services in 1 room, owner shop\.prod/);
    const one = await cli(["validate", "-e", "prod", "--output", "json"]);
    assert.equal(one.code, 0, one.io.all());
    assert.equal((JSON.parse(one.io.stdout.join("\n")) as { environment: string }).environment, "prod");
    const every = await cli(["validate", "--output", "json"]);
    assert.equal(every.code, 0, every.io.all());
    const listed = (JSON.parse(every.io.stdout.join("\n")) as { environments: { name: string; owner: string; services: number }[] }).environments;
    assert.deepEqual(listed.map((e) => [e.name, e.owner, e.services]), [["staging", "shop.staging", 1], ["prod", "shop.prod", 2]]);
    await h.writeConfig(CONFIG.replace("        env: {APP_ENV: prod}", "        env: {APP_ENV: prod}\n        public: maybe"));
    const bad = await cli(["validate"]);
    assert.equal(bad.code, 1);
    assert.match(bad.io.all(), /\.meshdeploy\.yaml:19:17/);
    assert.match(bad.io.all(), /\(in environment prod\)/);
    assert.equal((await cli(["validate", "-e", "staging"])).code, 0);
  });

  it("a saved plan keeps its environment: applied without -e as made, refused with another", async () => {
    const file = await h.writeConfig(CONFIG);
    const planFile = path.join(path.dirname(file), "staging.plan.json");
    assert.equal((await cli(["plan", "-e", "staging", "--out", planFile])).code, 0);
    const refused = await cli(["apply", planFile, "-e", "prod"]);
    assert.equal(refused.code, 1);
    assert.match(refused.io.all(), /was made for environment staging, not for prod; nothing was changed/);
    assert.deepEqual(await owners("prod"), {});
    const applied = await cli(["apply", planFile, "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.deepEqual(await owners("staging"), { "acme-web": "shop.staging" });
  });

  const tempDir = suiteTempDirs("environments");
  it("sync -e reconciles the repository's config as that environment", async () => {
    const dir = await tempDir();
    const repo = await initRepo(path.join(dir, "shop"));
    await repo.commit({ ".meshdeploy.yaml": CONFIG }, "environments");
    const synced = await cli(["sync", "--repo", `file://${repo.dir}`, "--once", "--no-wait", "-e", "prod"], {}, dir);
    assert.equal(synced.code, 0, synced.io.all());
    assert.deepEqual(await owners("prod"), { "acme-api": "shop.prod", "acme-web": "shop.prod" });
    assert.deepEqual(await owners("staging"), {});
  });
});
