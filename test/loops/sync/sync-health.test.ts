// Health in sync cycles (issue 11 item 1): a commit whose service then crash-loops is not "up to
// date" on the next cycle: the cycle fails with the service's state and exit code, and keeps
// failing while it crash-loops. Cycles are driven one at a time.
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { MeshdeployError } from "../../../src/errors.js";
import { SyncLoop } from "../../../src/loops/sync/sync-loop.js";
import { SyncRepo } from "../../../src/loops/sync/sync-repo.js";
import { initRepo } from "../../helpers/git-repo.js";
import { type Harness, startHarness } from "../../helpers/local-room.js";
import { suiteTempDirs } from "../../helpers/temp-dirs.js";
import { waitFor } from "../../helpers/wait.js";

const CONFIG = 'version: 1\nroom: dev\nowner: gitops-health\nservices:\n  - tag: acme/crash:1\n    env: {MESHDEPLOY_LOCAL_CRASH: "6"}\n';

describe("sync: health every cycle", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
  });
  after(() => h.close());
  const tempDir = suiteTempDirs("sync-health");

  it("an up-to-date cycle over a crash loop fails, twice in a row", async () => {
    const dir = await tempDir();
    await initRepo(path.join(dir, "origin.git"), { bare: true });
    const url = `file://${path.join(dir, "origin.git")}`;
    const work = await initRepo(path.join(dir, "work"));
    await work.git.addRemote("origin", url);
    await work.commit({ ".meshdeploy.yaml": CONFIG }, "add crash");
    await work.git.push("origin", "main");
    const sync = new SyncLoop({
      repo: new SyncRepo({ url, ref: null, dir: path.join(dir, "cache") }),
      path: ".meshdeploy.yaml",
      intervalMs: 60_000,
      env: {},
      targets: { open: async () => ({ target: h.target(), createRooms: false }) },
      prune: false,
      apply: { concurrency: 2, wait: false, waitTimeoutMs: 10_000 },
      signal: new AbortController().signal,
      sleep: async () => {},
      onReport: () => {},
    });
    assert.equal((await sync.cycle()).outcome, "applied", "--no-wait: written, not waited for");
    const session = await h.target().room("dev");
    await waitFor("the crash loop", async () => [...(await session.serviceStates()).values()].some((s) => s.state === "restarting"), 10_000);
    for (const n of [2, 3]) {
      const report = await sync.cycle();
      assert.equal(report.outcome, "failed", `cycle ${n}`);
      assert.ok(report.error instanceof MeshdeployError && report.error.code === "E_HEALTH", `cycle ${n}: ${report.error?.message}`);
      assert.match(report.error.message, /acme-crash \(crashloop, exit code 6\)/);
    }
  });
});
