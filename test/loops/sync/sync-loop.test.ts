// The sync loop against a bare repository reached through a file:// URL and the real local room:
// a commit is reconciled, a bad commit is skipped with its errors while the last good state stays,
// an out-of-band edit is corrected on the next cycle, failures back off, and a restarted loop
// keeps the state its predecessor left. Cycles are driven one at a time; no timers.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { UsageError } from "../../../src/errors.js";
import { SyncLoop, type CycleReport } from "../../../src/loops/sync/sync-loop.js";
import { SyncRepo } from "../../../src/loops/sync/sync-repo.js";
import type { LiveService } from "../../../src/model/service-spec.js";
import { renderCycle } from "../../../src/output/render-sync.js";
import { plain } from "../../../src/output/style.js";
import { initRepo, type TestRepo } from "../../helpers/git-repo.js";
import { type Harness, startHarness } from "../../helpers/local-room.js";
import { suiteTempDirs } from "../../helpers/temp-dirs.js";

const GOOD = `version: 1
room: dev
owner: gitops
services:
  - tag: acme/web:\${GIT_SHORT_SHA}
    env:
      BRANCH: \${GIT_BRANCH}
`;

describe("sync loop", () => {
  let h: Harness;
  let dir: string;
  let work: TestRepo;
  let url: string;
  let cache: string;

  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
    dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    url = `file://${path.join(dir, "origin.git")}`;
    work = await initRepo(path.join(dir, "work"));
    await work.git.addRemote("origin", url);
    cache = path.join(dir, "cache");
  });
  after(async () => {
    await h.close();
  });
  // Registered after the hook above: the dirs are removed once the harness has closed.
  const tempDir = suiteTempDirs("sync");

  async function push(files: Record<string, string>, message: string): Promise<string> {
    const sha = await work.commit(files, message);
    await work.git.push("origin", "main");
    return sha;
  }
  function loop(options: { url?: string; interval?: number; signal?: AbortSignal; sleep?: (ms: number) => Promise<void>; reports?: CycleReport[]; suspended?: () => boolean; selfHeal?: boolean } = {}): SyncLoop {
    return new SyncLoop({
      repo: new SyncRepo({ url: options.url ?? url, ref: null, dir: cache }),
      path: ".meshdeploy.yaml",
      intervalMs: options.interval ?? 60_000,
      env: {},
      targets: { open: async () => ({ target: h.target(), createRooms: false }) },
      prune: false,
      apply: { concurrency: 2, wait: false, waitTimeoutMs: 10_000 },
      signal: options.signal ?? new AbortController().signal,
      sleep: options.sleep ?? (async () => {}),
      onReport: (r) => options.reports?.push(r),
      ...(options.suspended ? { suspended: options.suspended } : {}),
      ...(options.selfHeal === undefined ? {} : { selfHeal: options.selfHeal }),
    });
  }
  async function services(): Promise<LiveService[]> {
    return h.target().listServices("dev");
  }
  const line = (report: CycleReport): string => renderCycle(report, plain)[0]!;

  let sync: SyncLoop;
  let goodSha: string;

  it("reconciles the first commit, with GIT_* built-ins from that commit and the followed branch", async () => {
    goodSha = await push({ ".meshdeploy.yaml": GOOD }, "add web");
    sync = loop();
    const report = await sync.cycle();
    assert.equal(report.outcome, "applied");
    assert.equal(line(report), `commit ${goodSha.slice(0, 7)} add web: applied (1 created, 0 updated, 0 deleted)`);
    const [web] = await services();
    assert.equal(web?.container?.image, `acme/web:${goodSha.slice(0, 7)}`);
    assert.deepEqual(web?.container?.environment, [{ name: "BRANCH", value: "main" }]);
    assert.equal(web?.metadata.annotations?.["meshdeploy.git-sha"], goodSha);
    assert.equal(web?.metadata.annotations?.["meshdeploy.source"], `${url}#.meshdeploy.yaml`);
    assert.equal(web?.metadata.annotations?.["meshdeploy.git-dirty"], "false");
    assert.equal(sync.lastGood?.sha, goodSha);
  });

  it("the same commit again is up to date", async () => {
    const report = await sync.cycle();
    assert.equal(line(report), `commit ${goodSha.slice(0, 7)} add web: up to date (1 service)`);
  });

  it("a commit with an invalid config is skipped with its errors; the last good state stays", async () => {
    const before = await services();
    const bad = await push({ ".meshdeploy.yaml": GOOD.replace("  - tag:", "  - tgs:") }, "typo");
    const report = await sync.cycle();
    assert.equal(report.outcome, "skipped");
    const lines = renderCycle(report, plain);
    assert.equal(lines[0], `commit ${bad.slice(0, 7)} typo: invalid config, skipped (2 errors in the config); keeping ${goodSha.slice(0, 7)} add web: up to date (1 service)`);
    assert.ok(lines.some((l) => l.includes("error: unknown key `tgs`")), lines.join("\n"));
    assert.ok(lines.some((l) => l.includes(`--> ${bad.slice(0, 7)}:.meshdeploy.yaml:5:5`)), lines.join("\n"));
    assert.deepEqual(await services(), before);
    assert.equal(sync.lastGood?.sha, goodSha);
    // The work tree keeps the good commit (build contexts are read from it).
    assert.equal(await readFile(path.join(cache, ".meshdeploy.yaml"), "utf8"), GOOD);
    const again = await sync.cycle();
    assert.equal(line(again), `commit ${bad.slice(0, 7)} typo: skipped (invalid config, reported before); keeping ${goodSha.slice(0, 7)} add web: up to date (1 service)`);
    assert.equal(renderCycle(again, plain).length, 1);
  });

  it("an out-of-band edit is corrected on the next interval (self-heal), even while the head is bad", async () => {
    const [web] = await services();
    await h.target().updateService("dev", web!.id, { ...web!, container: { ...web!.container!, image: "evil:1" } });
    const report = await sync.cycle();
    assert.equal(report.reconciled?.what, "drift-corrected");
    assert.match(line(report), /keeping [0-9a-f]{7} add web: drift corrected \(0 created, 1 updated, 0 deleted\)$/);
    assert.equal((await services())[0]?.container?.image, `acme/web:${goodSha.slice(0, 7)}`);
  });

  it("a restarted sync keeps the state its predecessor left checked out", async () => {
    const fresh = loop();
    const report = await fresh.cycle();
    assert.equal(report.outcome, "skipped");
    assert.equal(report.reconciled?.commit.sha, goodSha);
    assert.equal(fresh.lastGood?.sha, goodSha);
  });

  it("a later good commit is applied and becomes the good state", async () => {
    const next = await push({ ".meshdeploy.yaml": GOOD.replace("BRANCH: ${GIT_BRANCH}", "BRANCH: ${GIT_BRANCH}\n      LEVEL: '2'") }, "level 2");
    const report = await sync.cycle();
    assert.equal(line(report), `commit ${next.slice(0, 7)} level 2: applied (0 created, 1 updated, 0 deleted)`);
    assert.equal(sync.lastGood?.sha, next);
    assert.deepEqual((await services())[0]?.container?.environment, [
      { name: "BRANCH", value: "main" },
      { name: "LEVEL", value: "2" },
    ]);
    goodSha = next;
  });

  it("a commit without the config file is skipped and says so", async () => {
    await work.git.rm(".meshdeploy.yaml");
    await work.git.commit("remove config");
    await work.git.push("origin", "main");
    const report = await sync.cycle();
    assert.equal(report.outcome, "skipped");
    assert.match(line(report), /remove config: invalid config, skipped \(\.meshdeploy\.yaml does not exist in this commit\); keeping [0-9a-f]{7} level 2: up to date/);
    await push({ ".meshdeploy.yaml": GOOD }, "restore");
    assert.equal((await sync.cycle()).outcome, "applied");
  });

  it("suspended: a new commit and drift are planned and reported, nothing is written; resuming applies", async () => {
    let paused = true;
    const held = loop({ suspended: () => paused });
    await held.cycle();
    const before = await services();
    const next = await push({ ".meshdeploy.yaml": GOOD.replace("BRANCH: ${GIT_BRANCH}", "BRANCH: ${GIT_BRANCH}\n      PAUSED: 'no'") }, "while paused");
    const report = await held.cycle();
    assert.equal(report.outcome, "suspended");
    assert.equal(line(report), `commit ${next.slice(0, 7)} while paused: suspended: 0 to create, 1 to update, 0 to delete, not applied`);
    assert.ok(renderCycle(report, plain).some((l) => l.includes("+ container.environment.PAUSED = no")), renderCycle(report, plain).join("\n"));
    assert.deepEqual(await services(), before);
    assert.notEqual(held.lastGood?.sha, next, "a suspended commit is not the deployed one");
    paused = false;
    const resumed = await held.cycle();
    assert.equal(resumed.outcome, "applied");
    assert.equal(held.lastGood?.sha, next);
  });

  it("--no-self-heal: an out-of-band edit is reported, not corrected; a new commit still applies", async () => {
    const observer = loop({ selfHeal: false });
    assert.equal((await observer.cycle()).outcome, "up-to-date");
    const [web] = await services();
    await h.target().updateService("dev", web!.id, { ...web!, container: { ...web!.container!, image: "hotfix:1" } });
    const report = await observer.cycle();
    assert.equal(report.outcome, "drift-detected");
    assert.match(line(report), /: drift detected, not corrected \(self-heal off\): 0 to create, 1 to update, 0 to delete$/);
    assert.equal((await services())[0]?.container?.image, "hotfix:1", "the edit stays");
    const next = await push({ ".meshdeploy.yaml": GOOD.replace("BRANCH: ${GIT_BRANCH}", "BRANCH: ${GIT_BRANCH}\n      OBSERVED: 'yes'") }, "observed");
    const applied = await observer.cycle();
    assert.equal(applied.outcome, "applied");
    assert.equal((await services())[0]?.container?.image, `acme/web:${next.slice(0, 7)}`);
  });

  it("a predecessor killed between checkout and apply: the restarted loop says applied, not drift corrected", async () => {
    const next = await push({ ".meshdeploy.yaml": GOOD.replace("BRANCH: ${GIT_BRANCH}", "BRANCH: ${GIT_BRANCH}\n      KILLED: 'mid-cycle'") }, "killed mid-cycle");
    const dead = new SyncRepo({ url, ref: null, dir: cache });
    await dead.fetch();
    await dead.checkout(next);
    const report = await loop().cycle();
    assert.equal(line(report), `commit ${next.slice(0, 7)} killed mid-cycle: applied (0 created, 1 updated, 0 deleted)`);
  });

  it("fetch failures back off (5 s, 10 s, 20 s) and retry until Ctrl-C", async () => {
    const controller = new AbortController();
    const delays: number[] = [];
    const reports: CycleReport[] = [];
    const broken = loop({
      url: `file://${path.join(dir, "missing.git")}`,
      signal: controller.signal,
      reports,
      sleep: async (ms) => {
        delays.push(ms);
        if (delays.length === 3) controller.abort();
      },
    });
    // A fresh cache dir: the loop must clone, and cloning a missing repository fails.
    await rm(cache, { recursive: true, force: true });
    await broken.run();
    assert.deepEqual(delays, [5_000, 10_000, 20_000]);
    assert.equal(existsSync(cache), false, "a failed clone leaves no empty cache directory behind");
    assert.deepEqual(reports.map((r) => r.outcome), ["failed", "failed", "failed"]);
    assert.match(line(reports[0]!), /^fetch failed: cloning file:\/\/.*missing\.git failed: .*; retrying in 5s$/);
  });

  it("after a failure the normal interval resumes", async () => {
    const controller = new AbortController();
    const delays: number[] = [];
    const healthy = loop({
      signal: controller.signal,
      interval: 1_000,
      sleep: async (ms) => {
        delays.push(ms);
        controller.abort();
      },
    });
    await healthy.run();
    assert.deepEqual(delays, [1_000]);
  });

  it("an error of the invocation itself (a bad flag, no credentials) stops the loop instead of retrying forever", async () => {
    const reports: CycleReport[] = [];
    const stuck = new SyncLoop({
      repo: new SyncRepo({ url, ref: null, dir: path.join(dir, "cache-fatal") }),
      path: ".meshdeploy.yaml",
      intervalMs: 60_000,
      env: {},
      targets: {
        open: async () => {
          throw new UsageError("--faults cannot change the local room already running at http://127.0.0.1:1 (pid 1)");
        },
      },
      prune: false,
      apply: { concurrency: 2, wait: false, waitTimeoutMs: 10_000 },
      signal: new AbortController().signal,
      sleep: async () => {},
      onReport: (r) => reports.push(r),
    });
    await assert.rejects(stuck.run(), /--faults cannot change the local room/);
    assert.deepEqual(reports.map((r) => r.outcome), ["failed"], "reported once, not retried");
  });
});
