// Two applies at once on the same room create no duplicates and end in the desired state.
// The mechanism (src/local/dir-lock.ts, src/platform/meshagent-target.ts createService):
//  - one machine, `--local`: DIR/lock lets one process at a time serve the data directory; a
//    second run waits, then plans against what the first left (no lost update of state.json);
//  - any writers on one server: names are unique per room (409), and a POST answered 409 is
//    followed by a re-list that accepts the service only if it carries the same spec-hash;
//    a different one is reported as a conflict that the next run reconciles.
import assert from "node:assert/strict";
import { lstatSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired, type Reconciliation } from "../../src/reconcile.js";
import { acquireDirLock, LOCK_FILE } from "../../src/local/dir-lock.js";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { deadPid, suiteTempDirs } from "../helpers/temp-dirs.js";
import { finished, runBinary, spawnBinary } from "../helpers/binary.js";
import { TOKEN } from "../helpers/local-room.js";
import { servicesYaml } from "./helpers.js";


describe("data directory lock", () => {
  const tempDir = suiteTempDirs("lock");
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });

  it("one holder at a time: refused at once, or waited for until released", async () => {
    const first = await acquireDirLock(dir, { waitMs: 0 });
    assert.ok(lstatSync(path.join(dir, LOCK_FILE)).isSocket());
    await assert.rejects(acquireDirLock(dir, { waitMs: 0 }), { code: "E_LOCAL_ROOM", message: `the local room data directory ${dir} is in use by process ${process.pid} (this process)` });
    const waited: number[] = [];
    const second = acquireDirLock(dir, { waitMs: 10_000, pollMs: 10, onWait: (pid) => waited.push(pid) });
    setTimeout(() => first.release(), 50);
    (await second).release();
    assert.deepEqual(waited, [process.pid]);
    first.release(); // released twice: nothing happens (it is already gone)
    await assert.rejects(readFile(path.join(dir, LOCK_FILE)), { code: "ENOENT" });
  });

  it("Ctrl-C or SIGTERM stops the wait at once: E_INTERRUPTED, the holder's lock untouched", async () => {
    const held = await acquireDirLock(dir, { waitMs: 0 });
    try {
      const controller = new AbortController();
      const waiting = acquireDirLock(dir, { waitMs: 600_000, pollMs: 60_000, signal: controller.signal, onWait: () => controller.abort() });
      await assert.rejects(waiting, { code: "E_INTERRUPTED", message: `interrupted while waiting for process ${process.pid} to release ${dir}; nothing was changed` });
      await assert.rejects(acquireDirLock(dir, { waitMs: 0 }), /\(this process\)/, "the holder's lock is untouched");
    } finally {
      held.release();
    }
  });

  it("takes over a lock left by a dead process, or an unreadable one", async () => {
    for (const content of [`${deadPid()}\n`, "garbage", ""]) {
      await writeFile(path.join(dir, LOCK_FILE), content);
      const lock = await acquireDirLock(dir, { waitMs: 0 });
      assert.ok(lstatSync(path.join(dir, LOCK_FILE)).isSocket(), JSON.stringify(content));
      lock.release();
    }
  });

  it("release leaves a lock that another process holds now", async () => {
    const lock = await acquireDirLock(dir, { waitMs: 0 });
    await rm(path.join(dir, LOCK_FILE)); // judged gone by someone, who took it since
    await writeFile(path.join(dir, LOCK_FILE), `${process.ppid}\n`);
    lock.release();
    assert.equal((await readFile(path.join(dir, LOCK_FILE), "utf8")).trim(), String(process.ppid));
    await rm(path.join(dir, LOCK_FILE));
  });

  it("a second local room on the same data directory is refused while the first runs", async () => {
    const room = await startLocalRoom({ dataDir: dir, token: TOKEN });
    try {
      await assert.rejects(startLocalRoom({ dataDir: dir, token: TOKEN }), /is in use by process \d+ \(this process\)/);
    } finally {
      await room.close();
    }
    const again = await startLocalRoom({ dataDir: dir, token: TOKEN });
    await again.close();
  });
});

describe("two applies at once on one room", { timeout: 120_000 }, () => {
  const N = 50;
  let dataDir: string;
  let projectDir: string;
  let room: LocalRoom;
  const targets: MeshagentTarget[] = [];
  before(async () => {
    dataDir = await tempDir();
    projectDir = await tempDir();
    room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"], startDelayMs: 10 });
  });
  after(async () => {
    await Promise.all(targets.map((t) => t.close()));
    await room.close();
  });
  // Registered after the hook above: the dirs are removed once the targets and the room have closed.
  const tempDir = suiteTempDirs("concurrent");

  const target = (): MeshagentTarget => {
    const t = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
    targets.push(t);
    return t;
  };
  async function planFor(yaml: string, name: string): Promise<{ target: MeshagentTarget; run: Reconciliation }> {
    const file = path.join(projectDir, name);
    await writeFile(file, yaml);
    const t = target();
    return { target: t, run: await planDesired(t, await loadConfig(file)) };
  }
  const live = (): string[] => room.services("dev").map((s) => (s["metadata"] as { name: string }).name);

  it("the same config, both planned before either applies: every service once, both runs succeed", async () => {
    const yaml = servicesYaml(N, { owner: "race", prefix: "same" });
    const [a, b] = await Promise.all([planFor(yaml, "a.yaml"), planFor(yaml, "b.yaml")]);
    assert.equal(a.run.plan.summary.create, N);
    assert.equal(b.run.plan.summary.create, N);
    const mark = room.requestLog.length;
    const [ra, rb] = await Promise.all([a, b].map(({ target: t, run }) => applyRun(t, run, { concurrency: 8, pollIntervalMs: 20 })));
    assert.equal(ra!.summary.failed + rb!.summary.failed, 0, [...ra!.results, ...rb!.results].map((r) => r.error?.message ?? "").join(""));
    const conflicts = room.requestLog.slice(mark).filter((e) => e.method === "POST" && e.status === 409).length;
    assert.equal(conflicts, N, "every service was POSTed by both runs; the loser of each race got 409");
    // Each service is reported created once, by the run whose POST made it (audit L6: not 2·N).
    assert.equal(ra!.summary.created + rb!.summary.created, N);
    assert.equal(ra!.summary.unchanged + rb!.summary.unchanged, N);
    const names = live().filter((n) => n.startsWith("rel-same-"));
    assert.equal(names.length, N);
    assert.equal(new Set(names).size, N);
    // Both report the id that is really there (the loser found it by re-listing).
    const ids = new Map(room.services("dev").map((s) => [(s["metadata"] as { name: string }).name, s.id]));
    for (const r of [...ra!.results, ...rb!.results]) assert.equal(ids.get(r.service.name), r.id);
    assert.deepEqual((await planFor(yaml, "c.yaml")).run.plan.summary, { create: 0, update: 0, delete: 0, noop: N });
  });

  it("different configs racing for the same names: the loser reports a conflict, its re-run converges", async () => {
    const mine = servicesYaml(10, { owner: "race2", prefix: "clash", env: "mine" });
    const theirs = servicesYaml(10, { owner: "race2", prefix: "clash", env: "theirs" });
    const [a, b] = await Promise.all([planFor(mine, "m.yaml"), planFor(theirs, "t.yaml")]);
    const [ra, rb] = await Promise.all([a, b].map(({ target: t, run }) => applyRun(t, run, { concurrency: 4, pollIntervalMs: 20 })));
    const results = [...ra!.results, ...rb!.results];
    assert.equal(results.filter((r) => r.outcome === "created").length, 10, "each name was created once");
    const failed = results.filter((r) => r.outcome === "failed");
    assert.equal(failed.length, 10);
    for (const r of failed) assert.match(r.error!.message, /appeared in room dev while meshdeploy was creating it \(another writer\?\)/);
    assert.equal(live().filter((n) => n.startsWith("rel-clash-")).length, 10);
    const rerun = await planFor(theirs, "t2.yaml");
    await applyRun(rerun.target, rerun.run, { concurrency: 4, pollIntervalMs: 20 });
    assert.deepEqual((await planFor(theirs, "t3.yaml")).run.plan.summary, { create: 0, update: 0, delete: 0, noop: 10 });
  });
});

describe("two `apply --local` processes at once on one data directory", { timeout: 120_000 }, () => {
  const tempDir = suiteTempDirs("concurrent-cli");
  let dir: string;
  before(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir, "a.yaml"), servicesYaml(20, { owner: "team-a", prefix: "a" }));
    await writeFile(path.join(dir, "b.yaml"), servicesYaml(20, { owner: "team-b", prefix: "b" }));
    await writeFile(path.join(dir, "c.yaml"), servicesYaml(20, { owner: "team-c", prefix: "c" }));
  });

  it("both succeed and no service is lost: the second waits for the first's lock", async () => {
    const runs = [spawnBinary(["apply", "--local", "-f", "a.yaml"], dir), spawnBinary(["apply", "--local", "-f", "b.yaml"], dir)].map(finished);
    const [a, b] = await Promise.all(runs);
    assert.equal(a!.code, 0, a!.stdout + a!.stderr);
    assert.equal(b!.code, 0, b!.stdout + b!.stderr);
    assert.match(a!.stderr + b!.stderr, /waiting for another meshdeploy run on \S*\/\.meshdeploy\/local \(pid \d+\) to finish…/);
    for (const file of ["a.yaml", "b.yaml"]) {
      const plan = runBinary(["plan", "--local", "-f", file, "--detailed-exitcode"], dir);
      assert.equal(plan.code, 0, `${file}: ${plan.stdout}${plan.stderr}`);
    }
    const state = JSON.parse(await readFile(path.join(dir, ".meshdeploy/local/state.json"), "utf8"));
    const names: string[] = state.rooms[0].services.map((s: { metadata: { name: string } }) => s.metadata.name);
    assert.equal(names.length, 40);
    assert.equal(new Set(names).size, 40);
  });

  it("the same config twice at once: one creates everything, the other then finds nothing to do", async () => {
    const runs = [0, 1].map(() => finished(spawnBinary(["apply", "--local", "-f", "c.yaml"], dir)));
    const results = await Promise.all(runs);
    for (const r of results) assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(results.filter((r) => /Apply complete: 20 created, 0 updated, 0 deleted, 0 unchanged\./.test(r.stdout)).length, 1);
    assert.equal(results.filter((r) => /No changes\. 20 services up to date\./.test(r.stdout)).length, 1);
  });
});
