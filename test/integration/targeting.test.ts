// Targeting (--service/--room/--exclude) end to end through runCli against the real local room,
// with a two-room config: only the targeted services are planned, read and written; prune and
// the orphan listing are off; a saved plan keeps its targets and refuses others; names that
// match nothing are did-you-mean errors that change nothing.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { loadConfig } from "../../src/config/load.js";
import type { Target } from "../../src/platform/target.js";
import { planDesired } from "../../src/reconcile.js";
import { captureIo, runInProcess, type CapturedIo } from "../helpers/capture-io.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";

// acme-web and acme-api in dev, acme-api and acme-worker in staging.
const CONFIG = `version: 1
room: dev
owner: targeting
services:
  - tag: acme/web:1
  - tag: acme/api:1
  - tag: acme/api:1
    room: staging
  - tag: acme/worker:1
    room: staging
`;

describe("targeting against the local room", { timeout: 120_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["dev", "staging"] });
  });
  after(() => h.close());

  async function cli(args: string[]): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(h.projectDir, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    return { code: await runCli(args, io), io };
  }
  async function names(room: string): Promise<string[]> {
    return (await h.target().listServices(room)).map((s) => s.metadata.name).sort();
  }
  async function clear(): Promise<void> {
    const t = h.target();
    for (const room of ["dev", "staging"]) for (const s of await t.listServices(room)) await t.deleteService(room, s.id);
  }
  const json = (io: CapturedIo): { services: { name: string; room: string; action: string }[]; orphans: unknown[]; targets?: unknown } => JSON.parse(io.stdout.join("\n"));

  beforeEach(async () => {
    await clear();
    await h.writeConfig(CONFIG);
  });

  it("apply --service creates only that service, in every room it is declared in", async () => {
    const applied = await cli(["apply", "--service", "acme-api", "--yes", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.deepEqual([await names("dev"), await names("staging")], [["acme-api"], ["acme-api"]]);
    assert.match(applied.io.stdout.join("\n"), /! targeting: --service acme-api \(only these services; prune and orphan listing off; not for routine use\)/);
    // The repository names the service as well; with --room only that room's copy.
    await clear();
    const one = await cli(["apply", "--service", "acme/api", "--room", "staging", "--yes", "--no-wait"]);
    assert.equal(one.code, 0, one.io.all());
    assert.deepEqual([await names("dev"), await names("staging")], [[], ["acme-api"]]);
  });

  it("plan --room staging plans only staging, and its JSON carries the targets", async () => {
    const planned = await cli(["plan", "--room", "staging", "-o", "json"]);
    assert.equal(planned.code, 0, planned.io.all());
    const doc = json(planned.io);
    assert.deepEqual(doc.services.map((s) => `${s.name}@${s.room}:${s.action}`), ["acme-api@staging:create", "acme-worker@staging:create"]);
    assert.deepEqual(doc.targets, { services: [], rooms: ["staging"], exclude: [] });
    // Untargeted, the same plan has all four and no targets.
    const whole = json((await cli(["plan", "-o", "json"])).io);
    assert.equal(whole.services.length, 4);
    assert.equal("targets" in whole, false);
    const markdown = await cli(["plan", "--room", "staging", "--exclude", "acme-worker", "-o", "markdown"]);
    assert.match(markdown.io.stdout.join("\n"), /> \[!NOTE\]\n> targeting: --room staging --exclude acme-worker \(only these services; prune and orphan listing off; not for routine use\)/);
  });

  it("reads only the targeted rooms: no other room, no project-wide room listing", async () => {
    const calls: string[] = [];
    const real = h.target();
    const counting = new Proxy(real, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (prop === "listServices" || prop === "listRooms") calls.push(`${String(prop)}(${args.slice(0, 1).join("")})`);
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    }) as Target;
    const desired = await loadConfig(await h.writeConfig(CONFIG), { env: {} });
    const run = await planDesired(counting, desired, { targets: { services: [], rooms: ["staging"], exclude: [] } });
    assert.deepEqual(calls, ["listServices(staging)"]);
    assert.deepEqual(run.services.map((s) => `${s.name}@${s.room}`), ["acme-api@staging", "acme-worker@staging"]);
    calls.length = 0;
    await planDesired(counting, desired, {});
    assert.deepEqual(calls.sort(), ["listRooms()", "listServices(dev)", "listServices(staging)"]);
  });

  it("an orphan is neither listed nor pruned under targeting, even with `prune: true` in the config", async () => {
    assert.equal((await cli(["apply", "--yes", "--no-wait"])).code, 0);
    // acme-web is no longer declared: an orphan in dev.
    await h.writeConfig(CONFIG.replace("  - tag: acme/web:1\n", "").replace("owner: targeting\n", "owner: targeting\nprune: true\n"));
    const planned = await cli(["plan", "--room", "dev", "-o", "json"]);
    assert.equal(planned.code, 0, planned.io.all());
    const doc = json(planned.io);
    assert.deepEqual([doc.services.map((s) => `${s.name}:${s.action}`), doc.orphans], [["acme-api:noop"], []]);
    const applied = await cli(["apply", "--room", "dev", "--yes", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.deepEqual(await names("dev"), ["acme-api", "acme-web"]);
    // Untargeted, the config's prune deletes it: the assertion above could have failed.
    assert.equal((await cli(["apply", "--yes", "--no-wait"])).code, 0);
    assert.deepEqual(await names("dev"), ["acme-api"]);
  });

  it("--prune with targeting is refused before anything is read", async () => {
    const refused = await cli(["apply", "--prune", "--room", "dev", "--yes"]);
    assert.equal(refused.code, 1);
    assert.match(refused.io.stderr.join("\n"), /apply: --prune cannot be combined with --room dev: a targeted run acts on the services it names and never deletes/);
    assert.deepEqual([await names("dev"), await names("staging")], [[], []]);
  });

  it("an unknown --service is a did-you-mean error that changes nothing", async () => {
    const refused = await cli(["apply", "--service", "acme-wbe", "--yes", "--no-wait"]);
    assert.equal(refused.code, 1);
    const text = refused.io.stderr.join("\n");
    assert.match(text, /targeting: --service acme-wbe matches no declared service \(did you mean acme-web\?\); nothing was changed/);
    assert.match(text, /declared services: acme-web, acme-api, acme-worker/);
    assert.deepEqual([await names("dev"), await names("staging")], [[], []]);
  });

  it("a saved plan records its targets, applies them, and refuses other targets", async () => {
    const planned = await cli(["plan", "--service", "acme-worker", "--out", "plan.json"]);
    assert.equal(planned.code, 0, planned.io.all());
    const retargeted = await cli(["apply", "plan.json", "--service", "acme-web"]);
    assert.equal(retargeted.code, 1);
    assert.match(retargeted.io.stderr.join("\n"), /apply: the saved plan was made with --service acme-worker; this apply asks for --service acme-web; nothing was changed/);
    assert.deepEqual([await names("dev"), await names("staging")], [[], []]);
    // The same targets, or none: exactly the plan (the untargeted rest of the config is not created).
    const applied = await cli(["apply", "plan.json", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.deepEqual([await names("dev"), await names("staging")], [[], ["acme-worker"]]);
    assert.match(applied.io.stdout.join("\n"), /! targeting: --service acme-worker/);
  });

  it("a whole-config saved plan refuses targets; a targeted one goes stale when its service moves", async () => {
    assert.equal((await cli(["plan", "--out", "whole.json"])).code, 0);
    const narrowed = await cli(["apply", "whole.json", "--room", "dev"]);
    assert.equal(narrowed.code, 1);
    assert.match(narrowed.io.stderr.join("\n"), /the saved plan was made without targeting \(for the whole config\); this apply asks for --room dev/);

    assert.equal((await cli(["plan", "--service", "acme-web", "--out", "web.json"])).code, 0);
    // Out of band: acme-web created by hand in dev after the plan said "create".
    await h.target().createService("dev", { version: "v1", kind: "Service", metadata: { name: "acme-web" }, container: { image: "acme/web:hand" } });
    const stale = await cli(["apply", "web.json", "--service", "acme-web"]);
    assert.equal(stale.code, 1);
    assert.match(stale.io.stderr.join("\n"), /is stale; nothing was changed:\n\s+live: acme-web in room dev \(create\): the plan creates it, but it exists now/);
  });

  it("a targeted saved plan whose targets the config no longer declares is stale, not a usage error", async () => {
    assert.equal((await cli(["plan", "--service", "acme-worker", "--out", "worker.json"])).code, 0);
    await h.writeConfig(CONFIG.replace("  - tag: acme/worker:1\n    room: staging\n", ""));
    const stale = await cli(["apply", "worker.json"]);
    assert.equal(stale.code, 1);
    assert.match(stale.io.stderr.join("\n"), /is stale; nothing was changed:\n\s+config: the plan's targets \(--service acme-worker\) no longer match the config: --service acme-worker matches no declared service/);
    assert.deepEqual([await names("dev"), await names("staging")], [[], []]);
  });

  it("status --service shows only those rows", async () => {
    assert.equal((await cli(["apply", "--yes", "--no-wait"])).code, 0);
    const status = await cli(["status", "--service", "acme-api", "--room", "staging", "-o", "json"]);
    const rows = (JSON.parse(status.io.stdout.join("\n")) as { services: { name: string; room: string }[] }).services;
    assert.deepEqual(rows.map((r) => `${r.name}@${r.room}`), ["acme-api@staging"], status.io.all());
  });
});

describe("targeting with --local", { timeout: 120_000 }, () => {
  it("an unknown name is refused before the local room starts; a context outside the targets is not read", async (t) => {
    const dir = testTempDir(t, "targeting-local");
    // The worker's build context does not exist: any read of it is an error.
    await writeFile(path.join(dir, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: targeting-local\nservices:\n  - tag: acme/web:1\n  - tag: worker:1\n    build: ./missing\n");
    const typo = await runInProcess(["plan", "--local", "--service", "acme-wbe"], { cwd: dir });
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /--service acme-wbe matches no declared service \(did you mean acme-web\?\)/);
    assert.equal(existsSync(path.join(dir, ".meshdeploy")), false, "no local room was started");
    const whole = await runInProcess(["plan", "--local"], { cwd: dir });
    assert.equal(whole.code, 1, "the missing context fails the whole-config plan");
    assert.match(whole.stderr, /the build context \S+missing is not a directory/);
    const targeted = await runInProcess(["plan", "--local", "--service", "acme-web"], { cwd: dir });
    assert.equal(targeted.code, 0, targeted.stderr);
    assert.match(targeted.stdout, /\+ acme-web {2}create/);
  });
});
