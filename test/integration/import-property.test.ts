// Property (issue 17 item 1): for random rooms, `importRoom` writes a config that loads, and whose
// plan against the same room creates and deletes nothing, never rebuilds, and changes a service
// only where a comment at that service says so; records-only for what it could express.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { apiScopePreset, specModelsFor } from "../../src/model/spec-model.js";
import { planDesired } from "../../src/reconcile.js";
import { importRoom } from "../../src/reconcile-import.js";
import { call, PID, servicesPath, startHarness, type Harness } from "../helpers/local-room.js";
import { forEachPlatform, type PlatformVersion } from "../helpers/platforms.js";
import { prng } from "../helpers/services.js";

const ROOMS = 12;

function randomService(next: () => number, index: number, platform: PlatformVersion, accountEmail: string): Record<string, unknown> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number): boolean => next() < p;
  const repo = `svc${index}`;
  const name = `local-${repo}`;
  const identity = chance(0.5) ? name : `bot-${index}`;
  const environment: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.floor(next() * 3); i++) environment.push({ name: `VAR_${i}`, value: pick(["1", "prod", "a b", ""]) });
  const withToken = chance(0.4);
  const models = specModelsFor(platform);
  if (withToken) {
    const api = chance(0.7) ? apiScopePreset(pick(["agentDefault", "userDefault", "full"] as const), models) : { livekit: {} };
    const names = platform === "0.39.9" ? ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"] : ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GROK_API_KEY", "XAI_API_KEY"];
    for (const n of chance(0.85) ? names : names.slice(1)) environment.push({ name: n, token: { identity, api, role: "agent" } });
  }
  const withSecret = chance(0.3) && (platform === "0.50.1" || withToken);
  if (withSecret) environment.push({ name: "DB", secret: platform === "0.39.9" ? { identity, id: `sec-${index}` } : { id: `sec-${index}` } });
  const storage: Record<string, unknown> = {};
  if (chance(0.4)) storage["room"] = [{ path: "/data", ...(chance(0.5) ? { subpath: "assets" } : {}), read_only: chance(0.5) }];
  if (chance(0.3)) storage["empty_dirs"] = [{ path: "/tmp/x", read_only: false }];
  if (chance(0.3)) storage["images"] = [{ image: "busybox", path: "/opt/base", read_only: true }];
  if (platform === "0.39.9" && chance(0.2)) storage["project"] = [{ path: "/shared", read_only: true }];
  if (platform === "0.50.1" && chance(0.2)) storage["volumes"] = [{ name: "cache", path: "/cache", read_only: false }];
  const ports: Record<string, unknown>[] = [];
  for (let i = 0; i < Math.floor(next() * 3); i++) {
    const published = chance(0.5);
    ports.push({ num: 8000 + i, type: pick(["http", "tcp"]), ...(chance(0.7) ? { liveness: "/health" } : {}), ...(published ? { published: true } : {}) });
  }
  const annotations: Record<string, string> = {};
  if (chance(0.85)) annotations["meshagent.service.id"] = name;
  if (chance(0.5)) annotations["meshagent.request.validation.method"] = "cookie";
  const container: Record<string, unknown> = { image: `registry.meshagent.com/local/${repo}:${pick(["1", "2.0", "latest"])}`, ...(environment.length > 0 ? { environment } : {}), ...(Object.keys(storage).length > 0 ? { storage } : {}) };
  if (platform === "0.50.1") {
    if (withSecret || chance(0.3)) container["run_as"] = { email: accountEmail, scopes: withSecret ? ["secrets:proxy", "secrets:read"] : ["secrets:proxy"] };
    if (chance(0.5)) container["template"] = pick(["agent", "none"]);
  }
  return { version: "v1", kind: "Service", metadata: { name, annotations }, container, ...(ports.length > 0 ? { ports } : {}), ...(platform === "0.50.1" && chance(0.2) ? { enabled: false } : {}) };
}

forEachPlatform("import: random rooms plan honestly", (platform) => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform, rooms: Array.from({ length: ROOMS }, (_, i) => `r${i}`) });
  });
  after(() => h.close());

  it(`${ROOMS} random rooms`, { timeout: 60_000 }, async () => {
    const email = platform === "0.50.1" ? (await call(h.room.url, "POST", `/accounts/projects/${PID}/service-accounts`, { name: "bot" })).body.email : "";
    let checked = 0;
    for (let seed = 1; seed <= ROOMS; seed++) {
      const room = `r${seed - 1}`;
      const next = prng(seed * 7919);
      for (let i = 0; i < 1 + Math.floor(next() * 4); i++) {
        const created = await call(h.room.url, "POST", servicesPath(room), randomService(next, i, platform, email));
        assert.equal(created.status, 200, `seed ${seed}: ${created.text}`);
      }
      const file = path.join(h.projectDir, `${room}.yaml`);
      const target = h.target();
      const report = await importRoom(target, { room, services: [], file, schema: "./schema.json" });
      await writeFile(file, report.text);
      const plan = (await planDesired(h.target(), await loadConfig(file), { secretCheck: false })).plan;
      assert.deepEqual(plan.problems, [], `seed ${seed}:\n${report.text}`);
      for (const s of plan.services) {
        assert.equal(s.type === "create" || s.type === "delete", false, `seed ${seed}: ${s.name} ${s.type}`);
        assert.equal(s.build, null);
        const comment = commentAt(report.text, s.name);
        const changed = s.changes.map((c) => c.path).filter((p) => !p.startsWith("metadata.annotations.meshdeploy.") && !p.startsWith("route["));
        for (const p of changed) assert.ok(comment.includes(p), `seed ${seed}: ${s.name}: ${p} changes, and its comment does not say so:\n${report.text}`);
        if (s.restart) assert.ok(comment.includes("and restart it"), `seed ${seed}: ${s.name} restarts unannounced:\n${report.text}`);
        checked += 1;
      }
      assert.equal(plan.services.length, report.imported.length);
    }
    assert.ok(checked >= ROOMS, `checked ${checked} services`);
  });
});

/** The comment lines right above `- tag: …/<repo>` of service `name` (`local-svcN` ↔ `local/svcN`). */
function commentAt(text: string, name: string): string {
  const lines = text.split("\n");
  const at = lines.findIndex((line) => new RegExp(`^  - tag: registry\\.meshagent\\.com/${name.replace("local-", "local/")}:`).test(line));
  const above: string[] = [];
  for (let i = at - 1; i >= 0 && lines[i]!.trimStart().startsWith("#"); i--) above.unshift(lines[i]!);
  return above.join("\n");
}
