// Saved plans end to end through runCli against the real local room: `plan --out` then
// `apply PLAN.json` does exactly the plan; an out-of-band change to a touched service or a config
// edit makes apply refuse with what moved, changing nothing. Plan files never hold a token.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, beforeEach, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import type { LiveService } from "../../src/model/service-spec.js";
import { captureIo, type CapturedIo } from "../helpers/capture-io.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { forEachPlatform } from "../helpers/platforms.js";

const CONFIG = `version: 1
room: dev
owner: saved
services:
  - tag: acme/web:1
    env:
      APP_ENV: \${APP_ENV:-dev}
  - tag: acme/api:1
`;

forEachPlatform("saved plans against the local room", (platform) => {
  let h: Harness;
  let summary: string;
  before(async () => {
    h = await startHarness({ rooms: ["dev"], platform });
    summary = path.join(h.projectDir, "summary.md");
  });
  after(() => h.close());

  async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; io: CapturedIo }> {
    const io = captureIo(h.projectDir, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local", ...env });
    return { code: await runCli(args, io), io };
  }
  async function live(name: string): Promise<LiveService | undefined> {
    return (await h.target().listServices("dev")).find((s) => s.metadata.name === name);
  }
  async function reset(): Promise<void> {
    await h.writeConfig(CONFIG);
    const applied = await cli(["apply", "--yes", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
  }

  beforeEach(reset);

  it("a plan made with --api-url says to apply it with the same --api-url (the target is part of the plan)", async () => {
    const planned = await cli(["plan", "--out", "plan.json", "--api-url", h.room.url], { APP_ENV: "prod", MESHAGENT_API_URL: "" });
    assert.equal(planned.code, 0, planned.io.all());
    const hint = `meshdeploy apply plan.json --api-url ${h.room.url}`;
    assert.ok(planned.io.stderr.join("\n").includes(hint), planned.io.all());
    const applied = await cli(["apply", "plan.json", "--api-url", h.room.url], { APP_ENV: "prod", MESHAGENT_API_URL: "" });
    assert.equal(applied.code, 0, applied.io.all());
  });

  it("plan --out then apply PLAN.json applies exactly the plan, and the file holds no token", async () => {
    const planned = await cli(["plan", "--out", "plan.json"], { APP_ENV: "prod" });
    assert.equal(planned.code, 0, planned.io.all());
    assert.match(planned.io.stderr.join("\n"), /Saved the plan to plan\.json\. Apply exactly this plan with: meshdeploy apply plan\.json/);
    const text = await readFile(path.join(h.projectDir, "plan.json"), "utf8");
    assert.equal(text.includes(TOKEN), false);
    const saved = JSON.parse(text);
    assert.deepEqual([saved.formatVersion, saved.kind, saved.config.path, saved.target], [1, "meshdeploy-plan", ".meshdeploy.yaml", { apiUrl: h.room.url, projectId: "local" }]);
    assert.deepEqual(saved.plan.services.map((s: { name: string; type: string }) => `${s.name}:${s.type}`), ["acme-web:update", "acme-api:noop"]);

    // Out-of-band drift on a service the plan does not touch: apply does the plan, nothing more.
    const api = (await live("acme-api"))!;
    await h.target().updateService("dev", api.id, { ...api, container: { ...api.container!, image: "acme/api:drifted" } });
    const applied = await cli(["apply", "plan.json", "--no-wait"], { APP_ENV: "prod" });
    assert.equal(applied.code, 0, applied.io.all());
    assert.match(applied.io.stdout.join("\n"), /Apply complete: 0 created, 1 updated, 0 deleted, 1 unchanged\./);
    assert.deepEqual((await live("acme-web"))?.container?.environment, [{ name: "APP_ENV", value: "prod" }]);
    assert.equal((await live("acme-api"))?.container?.image, "acme/api:drifted");
  });

  it("refuses after an out-of-band change to a service the plan touches, changing nothing", async () => {
    assert.equal((await cli(["plan", "--out", "plan.json"], { APP_ENV: "prod" })).code, 0);
    const web = (await live("acme-web"))!;
    await h.target().updateService("dev", web.id, { ...web, container: { ...web.container!, image: "acme/web:hotfix" } });
    const before = await live("acme-web");
    const refused = await cli(["apply", "plan.json", "--no-wait"], { APP_ENV: "prod" });
    assert.equal(refused.code, 1);
    const lines = refused.io.stderr.join("\n").split("\n");
    assert.deepEqual(lines.filter((l) => l.startsWith("error") || l.startsWith("  live")), [
      "error: the saved plan plan.json is stale; nothing was changed:",
      "  live: acme-web in room dev (update): it was changed since the plan was made (its live spec or route differs)",
    ]);
    assert.deepEqual(await live("acme-web"), before);
  });

  it("refuses after a config edit, including a changed interpolated value", async () => {
    assert.equal((await cli(["plan", "--out", "plan.json"], { APP_ENV: "prod" })).code, 0);
    const before = await live("acme-web");
    const other = await cli(["apply", "plan.json", "--no-wait"], { APP_ENV: "staging" });
    assert.equal(other.code, 1);
    assert.match(other.io.all(), /config: service acme\/web:1 \(room dev\) changed/);
    await h.writeConfig(CONFIG.replace("  - tag: acme/api:1\n", "  - tag: acme/db:1\n"));
    const edited = await cli(["apply", "-f", "plan.json", "--no-wait"], { APP_ENV: "prod" });
    assert.equal(edited.code, 1);
    assert.match(edited.io.all(), /config: service acme\/db:1 \(room dev\) was added/);
    assert.match(edited.io.all(), /config: service acme\/api:1 \(room dev\) was removed/);
    assert.deepEqual(await live("acme-web"), before);
    assert.equal(await live("acme-db"), undefined);
  });

  it("a plan can be applied once: applying it again is refused (what it creates now exists)", async () => {
    await h.writeConfig(CONFIG.replace("  - tag: acme/api:1\n", "  - tag: acme/api:1\n  - tag: acme/once:1\n"));
    assert.equal((await cli(["plan", "--out", "once.json"])).code, 0);
    // Recognised as a plan by its content too, whatever the name.
    await writeFile(path.join(h.projectDir, "reviewed.plan"), await readFile(path.join(h.projectDir, "once.json")));
    const applied = await cli(["apply", "-f", "reviewed.plan", "--no-wait"]);
    assert.equal(applied.code, 0, applied.io.all());
    assert.match(applied.io.stdout.join("\n"), /Apply complete: 1 created, 0 updated, 0 deleted, 2 unchanged\./);
    const again = await cli(["apply", "once.json", "--no-wait"]);
    assert.equal(again.code, 1);
    assert.match(again.io.all(), /live: acme-once in room dev \(create\): the plan creates it, but it exists now/);
  });

  it("rejects --prune with a saved plan and reports an unreadable plan file", async () => {
    const pruned = await cli(["apply", "plan.json", "--prune"]);
    assert.equal(pruned.code, 1);
    assert.match(pruned.io.all(), /--prune cannot be combined with a saved plan/);
    await writeFile(path.join(h.projectDir, "broken.json"), "{");
    const broken = await cli(["apply", "broken.json"]);
    assert.equal(broken.code, 1);
    assert.match(broken.io.all(), /broken\.json is not JSON/);
    assert.match((await cli(["apply", "a.json", "b.json"])).io.all(), /unexpected argument "b\.json"/);
  });

  it("appends Markdown to GITHUB_STEP_SUMMARY on plan and apply", async () => {
    await writeFile(summary, "");
    const env = { GITHUB_STEP_SUMMARY: summary, APP_ENV: "prod" };
    assert.equal((await cli(["plan"], env)).code, 0);
    assert.equal((await cli(["apply", "--yes", "--no-wait"], env)).code, 0);
    const text = await readFile(summary, "utf8");
    assert.match(text, /^### meshdeploy plan\n\n\*\*Plan: 0 to create, 1 to update, 0 to delete, 1 unchanged\.\*\*/);
    assert.match(text, /\n### meshdeploy apply\n\n\*\*Apply complete: 0 created, 1 updated, 0 deleted, 1 unchanged\.\*\*\n\n\| Service \| Room \| Outcome \| Detail \|/);
    assert.match(text, /\| `container\.environment\.APP_ENV` \| `dev` \| `prod` \|/);
    assert.equal(text.includes(TOKEN), false);
  });

  it("--output markdown prints the Markdown plan on stdout", async () => {
    const r = await cli(["plan", "--output", "markdown"], { APP_ENV: "prod" });
    assert.equal(r.code, 0);
    assert.equal(r.io.stdout[0], "### meshdeploy plan");
    assert.ok(r.io.stdout.includes("| **update** | `acme-web` | `acme/web:1` | config changed: container.environment.APP\\_ENV |"), r.io.stdout.join("\n"));
    assert.match((await cli(["plan", "--output", "yaml"])).io.all(), /--output expects human, json, markdown; got "yaml"/);
  });
});
