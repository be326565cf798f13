// `build: .` with the config inside the context: meshdeploy's own state (.meshdeploy/ beside the
// config, written after every build) must not make the context change on every run.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { type Harness, startHarness } from "../helpers/local-room.js";

describe("build: . beside meshdeploy's state", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await writeFile(path.join(h.projectDir, "Dockerfile"), "FROM alpine\nCOPY . /app\n");
  });
  after(() => h.close());

  it("a second apply builds nothing although .meshdeploy/ changed", async () => {
    const file = await h.writeConfig("version: 1\nroom: dev\nservices:\n  - tag: self:1\n    build: .\n");
    const first = await planDesired(h.target(), await loadConfig(file));
    assert.equal((await applyRun(h.target(), first, { concurrency: 1, pollIntervalMs: 25 })).summary.created, 1);
    const again = await planDesired(h.target(), await loadConfig(file));
    assert.deepEqual(again.plan.summary, { create: 0, update: 0, delete: 0, noop: 1 });
    assert.equal(h.room.builds().length, 1);
  });
});
