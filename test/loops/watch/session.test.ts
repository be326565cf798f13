// Watch sessions against real files and a real local room. "Exactly one cycle" and "no cycle"
// are checked with a barrier: after the edits under test, an edit of another context; the cycle
// it triggers must be the very next one and contain only the barrier file.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { cp, mkdir, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { WatchReport } from "../../../src/loops/watch/session.js";
import { testTempDir } from "../../helpers/temp-dirs.js";
import { builtTags, deadline, startWatchProject, triggerFiles, type CycleEnd, type WatchProject } from "./helpers.js";

const CONFIG = `version: 1
room: dev
owner: watchers
services:
  - tag: web:1
    build: ./web
  - tag: api:1
    build: ./api
  - tag: plain:1
    env: {MODE: a}
`;

const FILES = {
  ".meshdeploy.yaml": CONFIG,
  "web/Dockerfile": 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/app.js"]\n',
  "web/.dockerignore": "node_modules\n*.log\n",
  "web/app.js": "console.log(1)\n",
  "api/Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "/app/app.py"]\n',
  "api/app.py": "print(1)\n",
  "notes.txt": "outside every context\n",
};

const errors = (end: { outcome: { result: { results: { error: Error | null }[] } | null } }): string =>
  (end.outcome.result?.results ?? []).flatMap((r) => (r.error ? [r.error.message] : [])).join("\n");
const lastCycle = (reports: readonly WatchReport[]): number => Math.max(0, ...reports.map((r) => (r.type === "cycleStart" ? r.cycle : 0)));

describe("watch session", { timeout: 60_000 }, () => {
  let w: WatchProject;
  let barrierCount = 0;
  /** Edits api/app.py and returns the end of the cycle that follows; it must contain only that file. */
  async function barrier(): Promise<number> {
    const n = lastCycle(w.reports) + 1;
    await w.write({ "api/app.py": `print("barrier ${(barrierCount += 1)}")\n` });
    const end = await w.cycleEnd(n);
    assert.deepEqual(triggerFiles(end, w.dir), ["api/app.py"], `cycle ${n} should be the barrier alone`);
    return n;
  }

  before(async () => {
    w = await startWatchProject({ files: FILES, debounceMs: 100 });
  });
  after(() => w.close());

  it("starts with one full reconcile: builds and deploys everything", async () => {
    const end = await w.cycleEnd(1);
    assert.equal(end.trigger, null);
    assert.equal(end.outcome.error, null, end.outcome.error?.message);
    assert.deepEqual(end.outcome.result?.summary, { created: 3, updated: 0, deleted: 0, unchanged: 0, failed: 0, skipped: 0 }, errors(end));
    assert.deepEqual(builtTags(w.room, 0), ["api:1", "web:1"]);
    assert.ok(w.reports.some((r) => r.type === "watching"));
  });

  it("three quick writes → one cycle; only that service is rebuilt and redeployed", async () => {
    const n = lastCycle(w.reports) + 1;
    const builds = w.room.builds().length;
    await w.write({ "web/a.js": "a", "web/b.js": "b", "web/app.js": "console.log(2)\n" });
    const end = await w.cycleEnd(n);
    assert.deepEqual(triggerFiles(end, w.dir), ["web/a.js", "web/app.js", "web/b.js"]);
    assert.deepEqual(end.trigger?.services, ["web:1"]);
    assert.deepEqual(builtTags(w.room, builds), ["web:1"]);
    const done = end.outcome.result!.results.filter((r) => r.outcome !== "unchanged").map((r) => [r.service.name, r.outcome]);
    assert.deepEqual(done, [["local-web", "updated"]]);
    const afterBuilds = w.room.builds().length;
    assert.equal(await barrier(), n + 1, "no second cycle for the three writes");
    assert.deepEqual(builtTags(w.room, afterBuilds), ["api:1"]);
  });

  it("edits to ignored paths start no cycle", async () => {
    const n = lastCycle(w.reports) + 1;
    await w.write({ "web/node_modules/lib/index.js": "x", "web/debug.log": "x", "web/.git/HEAD": "x", "web/.app.js.swp": "x", "notes.txt": "edited", ".meshdeploy/notes": "x" });
    assert.equal(await barrier(), n);
  });

  it("an edit while a cycle runs → exactly one more cycle that includes it", async () => {
    const n = lastCycle(w.reports) + 1;
    const release = w.holdWrites();
    await w.write({ "web/app.js": "console.log(3)\n" });
    // Cycle n has planned and built; its service write is held: these edits arrive while it runs.
    await w.next((r): r is WatchReport => r.type === "applyEvent" && r.cycle === n && r.event.type === "phase" && r.event.phase === "writing");
    await w.write({ "web/late.js": "late", "api/app.py": "print('late')\n" });
    const queued = await w.next((r): r is Extract<WatchReport, { type: "queued" }> => r.type === "queued" && r.cycle === n);
    assert.ok(queued.paths.length > 0);
    await w.write({ "web/later.js": "later" });
    release();
    assert.deepEqual(triggerFiles(await w.cycleEnd(n), w.dir), ["web/app.js"]);
    const follow = await w.cycleEnd(n + 1);
    assert.deepEqual(triggerFiles(follow, w.dir), ["api/app.py", "web/late.js", "web/later.js"]);
    assert.deepEqual(follow.trigger?.services, ["web:1", "api:1"]);
    assert.equal(follow.outcome.result?.summary.updated, 2, JSON.stringify(follow.outcome.plan?.services.map((s) => [s.name, s.type, s.reason])) + errors(follow));
    assert.equal(await barrier(), n + 2, "exactly one follow-up");
  });

  it("a build made obsolete by a newer edit is not deployed; the newer files are", async () => {
    const n = lastCycle(w.reports) + 1;
    const builds = w.room.builds().length;
    // Edit again the moment cycle n has planned: its build finds the context changed since.
    w.onReport = (r) => {
      if (r.type === "planned" && r.cycle === n) writeFileSync(path.join(w.dir, "web/app.js"), "console.log('newest')\n");
    };
    await w.write({ "web/app.js": "console.log(4)\n" });
    const end = await w.cycleEnd(n);
    w.onReport = null;
    assert.deepEqual(end.outcome.superseded.map((r) => r.service.name), ["local-web"]);
    assert.equal(builtTags(w.room, builds).length, 0, "the obsolete build was never sent");
    const follow = await w.cycleEnd(n + 1);
    assert.deepEqual(follow.outcome.result?.summary.updated, 1);
    assert.deepEqual(builtTags(w.room, builds), ["web:1"]);
    assert.equal(await barrier(), n + 2);
  });

  it("a context that changes during every build is retried, then left alone until the next edit", async () => {
    const n = lastCycle(w.reports) + 1;
    // An editor swap file: packing sends it, watch does not follow it, so only retries start cycles.
    w.onReport = (r) => {
      if (r.type === "planned" && r.cycle >= n) writeFileSync(path.join(w.dir, "web/.app.js.swp"), `swap ${r.cycle}`);
    };
    await w.write({ "web/app.js": "console.log('swap')\n" });
    const ends = [await w.cycleEnd(n), await w.cycleEnd(n + 1), await w.cycleEnd(n + 2)];
    w.onReport = null;
    assert.deepEqual(ends.map((e) => [e.outcome.superseded.length, e.retrying, e.stuck]), [
      [1, true, []],
      [1, true, []],
      [1, false, ["local-web"]],
    ]);
    assert.deepEqual(triggerFiles(ends[1]!, w.dir), ["web/"], "a retry names the context");
    assert.equal(await barrier(), n + 3, "no further retry");
    const barrierEnd = await w.cycleEnd(n + 3);
    assert.ok(barrierEnd.outcome.result!.results.some((r) => r.service.name === "local-web" && r.outcome === "updated"), "the next edit deploys it");
  });

  it("a broken config is reported with its location, the last good state stays, the fix resumes", async () => {
    let n = lastCycle(w.reports) + 1;
    await w.write({ ".meshdeploy.yaml": CONFIG.replace("env: {MODE: a}", "env: {MODE: a") });
    const syntax = await w.cycleEnd(n);
    assert.equal(syntax.trigger?.config, true);
    const d = syntax.outcome.configError?.diagnostics[0];
    assert.ok(d, "a located diagnostic");
    assert.equal(d.location.file, path.join(w.dir, ".meshdeploy.yaml"));
    assert.ok(d.location.line >= 9);
    assert.equal(syntax.outcome.plan, null, "nothing else changed: nothing planned");
    // A schema error next; context edits meanwhile still deploy with the last good config.
    n += 1;
    await w.write({ ".meshdeploy.yaml": CONFIG.replace("    env:", "    envv:") });
    const schema = await w.cycleEnd(n);
    assert.match(schema.outcome.configError?.message ?? "", /:10:5: .*envv/);
    n += 1;
    const builds = w.room.builds().length;
    await w.write({ "web/app.js": "console.log(5)\n" });
    const meanwhile = await w.cycleEnd(n);
    assert.equal(meanwhile.outcome.configError, null);
    assert.equal(meanwhile.outcome.result?.summary.updated, 1);
    assert.deepEqual(builtTags(w.room, builds), ["web:1"]);
    n += 1;
    await w.write({ ".meshdeploy.yaml": CONFIG.replace("MODE: a", "MODE: b") });
    const fixed = await w.cycleEnd(n);
    assert.equal(fixed.outcome.configError, null);
    const plain = fixed.outcome.plan!.services.find((s) => s.name === "local-plain")!;
    assert.equal(plain.type, "update");
    assert.deepEqual(plain.changes.map((c) => [c.path, c.before, c.after]), [["container.environment.MODE", "a", "b"]]);
    assert.equal(fixed.outcome.result?.summary.updated, 1);
  });

  it("a failed build is reported; the next change retries it", async () => {
    let n = lastCycle(w.reports) + 1;
    await w.write({ "api/Dockerfile": "FROM python:3.12-slim\nCOPY missing.py /app/\n" });
    const failed = await w.cycleEnd(n);
    const api = failed.outcome.result!.results.find((r) => r.service.name === "local-api")!;
    assert.equal(api.outcome, "failed");
    assert.match(api.error!.message, /missing\.py/);
    n += 1;
    await w.write({ "api/Dockerfile": 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "-u", "/app/app.py"]\n' });
    const retried = await w.cycleEnd(n);
    assert.equal(retried.outcome.result?.summary.failed, 0);
    assert.equal(retried.outcome.result?.summary.updated, 1);
  });

  it("a new .dockerignore rule takes effect at once: the newly ignored directory starts no cycle", async () => {
    let n = lastCycle(w.reports) + 1;
    await w.write({ "web/.dockerignore": "node_modules\n*.log\ngenerated/\n" });
    await w.cycleEnd(n);
    await w.write({ "web/generated/out.js": "x" });
    n = await barrier();
    assert.ok(n > 0);
  });
});

describe("watch session: the scope follows the config and the disk", { timeout: 60_000 }, () => {
  /** The end of the first cycle from report `from` on whose trigger includes `file`. */
  const cycleWith = (w: WatchProject, file: string, from: number): Promise<CycleEnd> =>
    deadline(
      w.next((r): r is CycleEnd => r.type === "cycleEnd" && (r.trigger?.files ?? []).includes(file), from),
      15_000,
      `no cycle for ${file}`,
    );

  it("a service added on a context already watched is named by the next trigger of that context", async () => {
    const w = await startWatchProject({ files: { ...FILES, ".meshdeploy.yaml": CONFIG.replace("owner: watchers", "owner: mappers") } });
    try {
      await w.cycleEnd(1);
      const withWorker = CONFIG.replace("owner: watchers", "owner: mappers").replace("  - tag: api:1\n", "  - tag: worker:1\n    build: ./web\n  - tag: api:1\n");
      await w.write({ ".meshdeploy.yaml": withWorker });
      const added = await cycleWith(w, path.join(w.dir, ".meshdeploy.yaml"), 0);
      assert.deepEqual(added.outcome.result?.results.filter((r) => r.outcome === "created").map((r) => r.service.name), ["local-worker"], errors(added));
      const from = w.reports.length;
      const builds = w.room.builds().length;
      await w.write({ "web/app.js": "console.log('both')\n" });
      const end = await cycleWith(w, path.join(w.dir, "web/app.js"), from);
      assert.deepEqual(end.trigger?.services, ["web:1", "worker:1"]);
      assert.deepEqual(builtTags(w.room, builds), ["web:1", "worker:1"]);
    } finally {
      await w.close();
    }
  });

  it("a context outside the config's directory, deleted and restored, is followed again", async (t) => {
    const outside = await realpath(testTempDir(t, "watch-outside"));
    const ctx = path.join(outside, "outside-ctx");
    const config = CONFIG.replace("owner: watchers", "owner: outsiders").replace("build: ./api", `build: ${ctx}`);
    await mkdir(ctx);
    await writeFile(path.join(ctx, "Dockerfile"), FILES["api/Dockerfile"]);
    await writeFile(path.join(ctx, "app.py"), "print('outside')\n");
    await cp(ctx, path.join(outside, "backup"), { recursive: true });
    const w = await startWatchProject({ files: { ...FILES, ".meshdeploy.yaml": config } });
    try {
      await w.cycleEnd(1);
      let from = w.reports.length;
      await rm(ctx, { recursive: true });
      await cycleWith(w, `${ctx}/`, from);
      from = w.reports.length;
      await cp(path.join(outside, "backup"), ctx, { recursive: true });
      await cycleWith(w, `${ctx}/`, from);
      from = w.reports.length;
      const builds = w.room.builds().length;
      await writeFile(path.join(ctx, "app.py"), "print('edited')\n");
      const end = await cycleWith(w, path.join(ctx, "app.py"), from);
      assert.deepEqual(end.trigger?.services, ["api:1"]);
      assert.equal(end.outcome.result?.summary.updated, 1, errors(end));
      assert.deepEqual(builtTags(w.room, builds), ["api:1"]);
    } finally {
      await w.close();
    }
  });
});

describe("watch session: prune and stop", { timeout: 60_000 }, () => {
  it("prune stays off in watch even when the config says prune: true", async () => {
    const config = CONFIG.replace("owner: watchers", "owner: pruners\nprune: true");
    const w = await startWatchProject({ files: { ...FILES, ".meshdeploy.yaml": config } });
    try {
      await w.cycleEnd(1);
      await w.write({ ".meshdeploy.yaml": config.replace("  - tag: plain:1\n    env: {MODE: a}\n", "") });
      const end = await w.cycleEnd(2);
      assert.deepEqual(end.outcome.plan?.orphans.map((o) => o.name), ["local-plain"]);
      assert.equal(end.outcome.plan?.summary.delete, 0);
    } finally {
      await w.close();
    }
  });

  it("with --prune a removed service is deleted", async () => {
    const w = await startWatchProject({ files: { ...FILES, ".meshdeploy.yaml": CONFIG.replace("owner: watchers", "owner: pruners2") }, prune: true });
    try {
      await w.cycleEnd(1);
      await w.write({ ".meshdeploy.yaml": CONFIG.replace("owner: watchers", "owner: pruners2").replace("  - tag: plain:1\n    env: {MODE: a}\n", "") });
      const end = await w.cycleEnd(2);
      assert.equal(end.outcome.result?.summary.deleted, 1);
    } finally {
      await w.close();
    }
  });

  it("stop while a write is in flight: waits for it, then returns", async () => {
    const w = await startWatchProject({ files: FILES });
    try {
      const release = w.holdWrites();
      await w.next((r): r is WatchReport => r.type === "applyEvent" && r.event.type === "phase" && r.event.phase === "writing");
      const stopped = w.stop();
      const stopping = await w.next((r): r is Extract<WatchReport, { type: "stopping" }> => r.type === "stopping");
      assert.ok(stopping.writesInFlight >= 1);
      release();
      await stopped;
      const last = w.reports[w.reports.length - 1];
      assert.deepEqual(last, { type: "stopped", abandonedWrites: 0 });
    } finally {
      await w.close();
    }
  });

  it("stop is bounded: a write that never finishes is abandoned after the grace period", async () => {
    const w = await startWatchProject({ files: FILES, stopGraceMs: 200 });
    let release = (): void => {};
    try {
      release = w.holdWrites();
      await w.next((r): r is WatchReport => r.type === "applyEvent" && r.event.type === "phase" && r.event.phase === "writing");
      await w.stop();
      const last = w.reports[w.reports.length - 1];
      assert.equal(last?.type, "stopped");
      assert.ok(last?.type === "stopped" && last.abandonedWrites >= 1);
    } finally {
      release();
      await w.close();
    }
  });
});
