// Two replicas of one `sync` (docs/running-sync.md): two loops with separate clones (two pods, each
// with its own emptyDir) follow the same branch against one server and run their cycles at the
// same moment — a create, an update, a drift correction. Every service exists exactly once, both
// cycles succeed each time (idempotent writes; a create answered 409 is re-listed and accepted),
// and the next cycle of either finds nothing to do.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { SyncLoop, type CycleReport } from "../../src/loops/sync/sync-loop.js";
import { SyncRepo } from "../../src/loops/sync/sync-repo.js";
import { initRepo, type TestRepo } from "../helpers/git-repo.js";
import { type Harness, startHarness } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import type { Target } from "../../src/platform/target.js";

/**
 * The worst interleaving, made certain: a replica's first write of a cycle waits until the other
 * replica has also reached its first write, so both planned against the same live state.
 */
class WriteBarrier {
  #waiting: (() => void)[] = [];
  #open = false;
  arm(): void {
    this.#open = false;
    this.#waiting = [];
  }
  async reached(): Promise<void> {
    if (this.#open) return;
    await new Promise<void>((resolve) => {
      this.#waiting.push(resolve);
      if (this.#waiting.length === 2) {
        this.#open = true;
        for (const go of this.#waiting) go();
      }
    });
  }
}

function gated(target: Target, barrier: WriteBarrier): Target {
  return new Proxy(target, {
    get(t, key, receiver) {
      const value = Reflect.get(t, key, receiver);
      if (typeof value !== "function") return value;
      if (key === "createService" || key === "updateService") return async (...args: unknown[]) => (await barrier.reached(), value.apply(t, args));
      return value.bind(t);
    },
  });
}

const config = (level: string) => `version: 1
room: dev
owner: replicas
services:
${["web", "api", "worker"].map((n) => `  - tag: acme/${n}:1\n    template: none\n    env: {LEVEL: "${level}"}\n`).join("")}`;

const SUCCESS = new Set<CycleReport["outcome"]>(["applied", "up-to-date", "drift-corrected"]);

describe("two replicas of one sync", () => {
  let h: Harness;
  let work: TestRepo;
  let replicas: SyncLoop[];
  const barrier = new WriteBarrier();

  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
    const dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    const url = `file://${path.join(dir, "origin.git")}`;
    work = await initRepo(path.join(dir, "work"));
    await work.git.addRemote("origin", url);
    replicas = ["pod-a", "pod-b"].map(
      (pod) =>
        new SyncLoop({
          repo: new SyncRepo({ url, ref: null, dir: path.join(dir, pod) }),
          path: ".meshdeploy.yaml",
          intervalMs: 60_000,
          env: {},
          targets: { open: async () => ({ target: gated(h.target(), barrier), createRooms: false }) },
          prune: false,
          apply: { concurrency: 3, wait: false, waitTimeoutMs: 10_000 },
          signal: new AbortController().signal,
          sleep: async () => {},
          onReport: () => {},
        }),
    );
  });
  after(async () => {
    await h.close();
  });
  const tempDir = suiteTempDirs("sync-replicas");

  /** Both cycles at once; `racing`: both must write (the barrier holds the first write until both arrive). */
  async function both(racing = false): Promise<CycleReport[]> {
    if (racing) barrier.arm();
    const reports = await Promise.all(replicas.map((r) => r.cycle()));
    for (const r of reports) assert.ok(SUCCESS.has(r.outcome), `${r.outcome}: ${r.error?.message ?? ""}`);
    return reports;
  }
  async function live(): Promise<{ name: string; level: string | null | undefined }[]> {
    const services = await h.target().listServices("dev");
    return services.map((s) => ({ name: s.metadata.name, level: s.container?.environment?.find((e) => e.name === "LEVEL")?.value })).sort((a, b) => a.name.localeCompare(b.name));
  }
  const expect = (level: string) => ["acme-api", "acme-web", "acme-worker"].map((name) => ({ name, level }));

  it("the first commit: both create at once, every service exists once", async () => {
    await work.commit({ ".meshdeploy.yaml": config("1") }, "first");
    await work.git.push("origin", "main");
    const reports = await both(true);
    assert.deepEqual(reports.map((r) => r.outcome), ["applied", "applied"]);
    // Both planned the three creates (the barrier saw both write); one created them, the other's
    // POSTs were answered 409, re-listed and accepted as another writer's identical services.
    const summaries = reports.map((r) => r.reconciled!.result!.summary);
    assert.deepEqual(summaries.map((x) => x.created).sort(), [0, 3]);
    assert.deepEqual(summaries.map((x) => x.unchanged).sort(), [0, 3]);
    assert.deepEqual(summaries.map((x) => x.failed), [0, 0]);
    assert.deepEqual(await live(), expect("1"));
    for (const r of await both()) assert.equal(r.outcome, "up-to-date");
  });

  it("a new commit: both update at once and agree", async () => {
    await work.commit({ ".meshdeploy.yaml": config("2") }, "second");
    await work.git.push("origin", "main");
    assert.deepEqual((await both(true)).map((r) => r.reconciled?.result?.summary.updated), [3, 3]);
    assert.deepEqual(await live(), expect("2"));
    for (const r of await both()) assert.equal(r.outcome, "up-to-date");
  });

  it("an out-of-band edit: both correct it at once", async () => {
    const [web] = (await h.target().listServices("dev")).filter((s) => s.metadata.name === "acme-web");
    await h.target().updateService("dev", web!.id, { ...web!, container: { ...web!.container!, environment: [{ name: "LEVEL", value: "hacked" }] } });
    const reports = await both(true);
    assert.deepEqual(reports.map((r) => r.outcome), ["drift-corrected", "drift-corrected"]);
    assert.deepEqual(await live(), expect("2"));
    for (const r of await both()) assert.equal(r.outcome, "up-to-date");
  });
});
