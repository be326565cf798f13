// Readiness as the 0.50.1 CLI defines it (issue 11 item 2): on a 0.50.1 room that reports
// per-port liveness, apply waits until the liveness port is `ready`, not only until the container
// runs; a 0.39.9 room (no port status) is live once running. Also: an apply with a wait no longer
// takes a whole poll interval (polls start at 100 ms).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { startLocalRoom } from "../../src/local/server.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { TOKEN } from "../helpers/local-room.js";

const CONFIG = "version: 1\nroom: dev\nowner: ready\nservices:\n  - tag: acme/web:1\n    ports: [{num: 8000, liveness: /health}]\n";
const LIVENESS_DELAY_MS = 1_200;

describe("readiness", () => {
  for (const platform of ["0.50.1", "0.39.9"] as const) {
    it(`${platform}: apply waits ${platform === "0.50.1" ? "for the liveness port to be ready" : "only for running"}`, async (t) => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-ready-"));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const room = await startLocalRoom({ dataDir: path.join(dir, "data"), token: TOKEN, rooms: ["dev"], platform, startDelayMs: 50, livenessDelayMs: LIVENESS_DELAY_MS });
      t.after(() => room.close());
      const target = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
      t.after(() => target.close());
      const file = path.join(dir, ".meshdeploy.yaml");
      await writeFile(file, CONFIG);
      const run = await planDesired(target, await loadConfig(file));
      const started = Date.now();
      const result = await applyRun(target, run, { concurrency: 1, waitTimeoutMs: 20_000 });
      const took = Date.now() - started;
      assert.equal(result.summary.created, 1, result.results[0]?.error?.message);
      const session = await target.room("dev");
      const state = [...(await session.serviceStates()).values()][0]!;
      assert.equal(state.state, "running");
      if (platform === "0.50.1") {
        assert.ok(took >= LIVENESS_DELAY_MS, `returned after ${took} ms, before the port was ready`);
        assert.equal(state.ports[0]?.livenessStatus, "ready");
      } else {
        assert.ok(took < LIVENESS_DELAY_MS, `0.39.9 has no readiness: running is live (took ${took} ms)`);
        assert.deepEqual(state.ports, []);
      }
    });
  }
});
