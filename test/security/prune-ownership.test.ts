// Ownership that cannot collide, as a property (issue 12, item 6): over random worlds of several
// configs in same-named directories of same-named repositories, clones reached through every
// spelling of a URL, services moved between rooms and protected services, prune (which now sees
// every room) deletes exactly the acting config's undeclared, unprotected services — never another
// config's, an earlier owner's or a hand-made one — and a protected one stops the plan instead.
// First pure over 500 worlds, then end to end through real git clones, runCli and the local room.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { simpleGit } from "simple-git";
import { runCli } from "../../src/cli/run.js";
import { isOwnedBy, isProtected, MANAGED_BY, OWNER, ownershipOf, PROTECT } from "../../src/model/annotations.js";
import { gitOwner, normaliseRemote } from "../../src/model/owner.js";
import type { LiveService, ServiceSpec } from "../../src/model/service-spec.js";
import { dumpServiceSpec } from "../../src/model/spec-model.js";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveRoom } from "../../src/plan/types.js";
import { captureIo } from "../helpers/capture-io.js";
import { initRepo } from "../helpers/git-repo.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { deepFreeze, prng, service } from "../helpers/services.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const ROOMS = ["r0", "r1", "r2", "r3"];
/** Same-named repositories and same-named config directories: exactly what collided before. */
const REPOS = ["github.com/team-a/infra", "github.com/team-b/infra", "gitlab.com/acme/infra", "/srv/git/infra"];
const PATHS = ["deploy/.meshdeploy.yaml", "deploy/prod.yaml", ".meshdeploy.yaml", "apps/deploy/.meshdeploy.yaml"];

/** One of the ways a clone's remote may be written. */
function spelling(repo: string, random: () => number): string {
  if (repo.startsWith("/")) return [repo, `${repo}.git`, `${repo}/`, `file://${repo}.git`, `file://${repo}`][Math.floor(random() * 5)]!;
  const [host = "", ...rest] = repo.split("/");
  const p = rest.join("/");
  const upper = random() < 0.3 ? p.replace(/^./, (c) => c.toUpperCase()) : p;
  const forms = [`https://${host}/${upper}`, `https://${host}/${upper}.git`, `https://x-access-token:tok${Math.floor(random() * 1e6)}@${host}/${upper}.git`, `ssh://git@${host}:22/${upper}`, `git@${host}:${upper}.git`, `https://${host.toUpperCase()}/${upper}/`];
  return forms[Math.floor(random() * forms.length)]!;
}

function liveService(name: string, annotations: Record<string, string> | null, id: string): LiveService {
  const body = { version: "v1", kind: "Service", metadata: { name, ...(annotations === null ? {} : { annotations }) }, container: { image: `registry.meshagent.com/acme/${name}:1` } };
  return { id, ...dumpServiceSpec(body as unknown as ServiceSpec, { excludeNone: true, excludeId: true }) } as LiveService;
}

describe("prune ownership over random worlds (pure)", () => {
  it("clones of one repository agree on the owner, every (repository, path) gets its own", () => {
    const random = prng(1212);
    const owners = new Set<string>();
    for (const repo of REPOS) {
      for (const file of PATHS) {
        const seen = new Set(Array.from({ length: 8 }, () => gitOwner(normaliseRemote(spelling(repo, random)), file)));
        assert.equal(seen.size, 1, `${repo} ${file}: ${[...seen].join(", ")}`);
        owners.add([...seen][0]!);
      }
    }
    assert.equal(owners.size, REPOS.length * PATHS.length);
  });

  it("over 500 worlds, prune deletes exactly the acting config's undeclared unprotected services", () => {
    const random = prng(20261202);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const configOwners = REPOS.flatMap((repo) => PATHS.map((file) => gitOwner(normaliseRemote(repo), file)));
    const strangers: (Record<string, string> | null)[] = [{ [MANAGED_BY]: "meshdeploy", [OWNER]: "deploy" }, { [MANAGED_BY]: "meshdeploy" }, { [MANAGED_BY]: "argocd" }, { "meshagent.service.id": "by-hand" }, null];
    let deletes = 0;
    let protectedStops = 0;
    let moved = 0;
    for (let world = 0; world < 500; world += 1) {
      const actingRepo = pick(REPOS);
      const actingPath = pick(PATHS);
      const acting = gitOwner(normaliseRemote(spelling(actingRepo, random)), actingPath);
      // Another config of the same repository name, in a same-named directory, is the likeliest collision.
      const neighbours = configOwners.filter((o) => o !== acting);
      const live: Record<string, LiveRoom> = {};
      let id = 0;
      for (const room of ROOMS) {
        const services = Array.from({ length: Math.floor(random() * 8) }, (_, i) => {
          const r = random();
          const owner = r < 0.4 ? acting : r < 0.75 ? pick(neighbours) : null;
          const base = owner === null ? pick(strangers) : { [MANAGED_BY]: "meshdeploy", [OWNER]: owner };
          const annotations = base === null ? null : { ...base, ...(random() < 0.15 ? { [PROTECT]: "true" } : {}) };
          return liveService(`acme-s${i}`, annotations, `id-${world}-${id++}`);
        });
        live[room] = { services, routes: [] };
      }
      // Declare some names, each in a room that may differ from where it lives (a move).
      const declared = new Map<string, string>();
      for (let i = 0; i < 8; i += 1) if (random() < 0.4) declared.set(`acme-s${i}`, pick(ROOMS));
      const desired = [...declared].map(([name, room], index) => service({ index, room, name, tag: `acme/${name.slice(5)}:1`, image: `acme/${name}:1` }));
      deepFreeze(live);
      const plan = computePlan(desired, live, { owner: acting, prune: true });

      const all = ROOMS.flatMap((room) => live[room]!.services.map((l) => ({ room, l })));
      const isDeclaredThere = (room: string, name: string): boolean => declared.get(name) === room;
      const ownedUndeclared = all.filter(({ room, l }) => isOwnedBy(l.metadata.annotations, acting) && !isDeclaredThere(room, l.metadata.name));
      const expectedProtected = ownedUndeclared.filter(({ l }) => isProtected(l.metadata.annotations)).map(({ room, l }) => `${room}/${l.metadata.name}`).sort();
      const expectedDeletes = ownedUndeclared.filter(({ l }) => !isProtected(l.metadata.annotations)).map(({ l }) => l.id).sort();
      const conflicts = [...declared].filter(([name, room]) => {
        const there = live[room]!.services.find((l) => l.metadata.name === name);
        const o = ownershipOf(there?.metadata.annotations);
        return there !== undefined && o.managed && o.owner !== acting;
      }).map(([name, room]) => `${room}/${name}`).sort();

      const planned = plan.services.filter((s) => s.type === "delete");
      for (const d of planned) assert.ok(isOwnedBy(all.find(({ l }) => l.id === d.id)!.l.metadata.annotations, acting), `world ${world}: a delete of another owner's ${d.room}/${d.name}`);
      assert.deepEqual(planned.map((d) => d.id).sort(), expectedDeletes, `world ${world}: deletes`);
      assert.deepEqual(plan.problems.filter((p) => p.kind === "protected").map((p) => `${p.room}/${p.name}`).sort(), expectedProtected, `world ${world}: protected`);
      assert.deepEqual(plan.problems.filter((p) => p.kind === "ownership").map((p) => `${p.room}/${p.name}`).sort(), conflicts, `world ${world}: conflicts`);
      // What apply would do: nothing when the plan has problems (cli/commands/apply.ts), else exactly the deletes.
      const applied = plan.problems.length > 0 ? [] : planned;
      deletes += applied.length;
      if (expectedProtected.length > 0) protectedStops += 1;
      moved += ownedUndeclared.filter(({ l }) => declared.has(l.metadata.name)).length;
    }
    assert.ok(deletes > 100 && protectedStops > 30 && moved > 100, `the worlds exercised every case: ${deletes} applied deletes, ${protectedStops} protected stops, ${moved} moved-away copies`);
  });
});

describe("prune ownership end to end: clones, same-named directories, moves, protection", { timeout: 120_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ROOMS });
  });
  after(() => h.close());
  const tempDir = suiteTempDirs("prune-owner");

  async function cli(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
    const io = captureIo(cwd, { MESHAGENT_API_URL: h.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: "local" });
    const code = await runCli(args, io);
    return { code, out: io.all() };
  }
  const snapshot = async (): Promise<Map<string, { room: string; json: string; owner: string | null; name: string; protected: boolean }>> => {
    const out = new Map();
    for (const room of ROOMS) {
      for (const s of await h.target().listServices(room)) out.set(s.id, { room, json: JSON.stringify(s), owner: ownershipOf(s.metadata.annotations).owner, name: s.metadata.name, protected: isProtected(s.metadata.annotations) });
    }
    return out;
  };
  function yaml(services: { name: string; room: string; protect: boolean }[]): string {
    const lines = ["version: 1", "room: r0", "prune: true", services.length === 0 ? "services: []" : "services:"];
    for (const s of services) lines.push(`  - tag: acme/${s.name}:1`, `    room: ${s.room}`, ...(s.protect ? ["    protect: true"] : []));
    return lines.join("\n") + "\n";
  }

  it("over 4 worlds, apply --prune from another clone deletes exactly its own undeclared services", async () => {
    const random = prng(77);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    let stops = 0;
    let deleted = 0;
    let movedAway = 0;
    for (let world = 0; world < 4; world += 1) {
      for (const room of ROOMS) for (const s of await h.target().listServices(room)) await h.target().deleteService(room, s.id);
      const dir = await tempDir();
      // Two repositories both called infra, each with deploy/.meshdeploy.yaml; each seeded from its first clone.
      const clones: Record<string, string[]> = {};
      for (const team of ["team-a", "team-b"]) {
        const origin = path.join(dir, team, "infra.git");
        await initRepo(origin, { bare: true });
        const seed = await initRepo(path.join(dir, team, "seed"));
        await seed.git.addRemote("origin", `file://${origin}`);
        const services = Array.from({ length: 6 }, (_, i) => ({ name: `${team}-w${world}-s${i}`, room: pick(ROOMS), protect: random() < 0.15 }));
        await seed.commit({ "deploy/.meshdeploy.yaml": yaml(services) }, "seed");
        await seed.git.push("origin", "main");
        const seeded = await cli(path.join(seed.dir, "deploy"), ["apply", "--yes", "--no-wait"]);
        assert.equal(seeded.code, 0, seeded.out);
        clones[team] = [];
        for (const [i, url] of [origin, `${origin}/`, `file://${origin}`].entries()) {
          const clone = path.join(dir, team, `clone-${i}`);
          await simpleGit({ baseDir: dir }).clone(url, clone);
          clones[team]!.push(clone);
        }
      }
      // Hand-made and earlier-owner services in the same rooms.
      await h.target().createService("r1", { version: "v1", kind: "Service", metadata: { name: `by-hand-${world}` }, container: { image: "registry.meshagent.com/acme/x:1" } });
      await h.target().createService("r2", { version: "v1", kind: "Service", metadata: { name: `old-${world}`, annotations: { [MANAGED_BY]: "meshdeploy", [OWNER]: "deploy" } }, container: { image: "registry.meshagent.com/acme/y:1" } });

      const before = await snapshot();
      const aOwner = [...before.values()].find((s) => s.name.startsWith("acme-team-a-"))!.owner!;
      const aServices = [...before.values()].filter((s) => s.owner === aOwner);
      // The acting clone keeps some team-a services (some moved to another room) and drops the rest.
      const kept = aServices.filter(() => random() < 0.5).map((s) => ({ name: s.name.replace(/^acme-/, ""), room: random() < 0.4 ? pick(ROOMS) : s.room, protect: s.protected }));
      const acting = pick(clones["team-a"]!);
      await writeFile(path.join(acting, "deploy", ".meshdeploy.yaml"), yaml(kept));
      const result = await cli(path.join(acting, "deploy"), ["apply", "--yes", "--no-wait", "--max-deletes", "100"]);
      assert.match(result.out, new RegExp(`owner ${aOwner} \\(from git`), `world ${world}: the clone's owner`);

      const keptAt = new Set(kept.map((k) => `${k.room}/acme-${k.name}`));
      const undeclared = aServices.filter((s) => !keptAt.has(`${s.room}/${s.name}`));
      const afterApply = await snapshot();
      movedAway += undeclared.filter((u) => kept.some((k) => `acme-${k.name}` === u.name)).length;
      if (undeclared.some((s) => s.protected)) {
        stops += 1;
        assert.equal(result.code, 1, `world ${world}: a protected service must stop the plan\n${result.out}`);
        assert.match(result.out, /is protected/);
        assert.deepEqual([...afterApply.keys()].sort(), [...before.keys()].sort(), `world ${world}: nothing may change`);
        continue;
      }
      assert.equal(result.code, 0, `world ${world}: ${result.out}`);
      for (const [id, s] of before) {
        const gone = !afterApply.has(id);
        const shouldGo = s.owner === aOwner && undeclared.some((u) => u.name === s.name && u.room === s.room);
        assert.equal(gone, shouldGo, `world ${world}: ${s.room}/${s.name} (owner ${s.owner}) ${gone ? "deleted" : "kept"}`);
        if (s.owner !== aOwner) assert.equal(afterApply.get(id)?.json, s.json, `world ${world}: ${s.room}/${s.name} of another owner changed`);
        if (gone) deleted += 1;
      }
    }
    assert.ok(stops > 0 && deleted > 0 && movedAway > 0, `the worlds exercised every case: ${stops} protected stops, ${deleted} deletes, ${movedAway} moved-away copies`);
  });
});
