// Issue 13 H1: no acknowledged write is ever lost. The local room's disk "fills up" part way through
// an apply (the write error is injected: ENOSPC after a number of journal appends). The room
// answers 507 and keeps nothing it could not persist, so apply never counts a lost create as done:
// every service apply reports created is on disk after a restart, and the rest are failures.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { defaultIo, type StorageIo } from "../../src/local/journal.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { startHarness, type Harness } from "../helpers/local-room.js";
import { servicesYaml } from "./helpers.js";

const N = 40;

describe("full disk during apply (issue 13 H1)", { timeout: 60_000 }, () => {
  let h: Harness;
  let appends = 0;
  const enospc = (): never => {
    throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
  };
  const storageIo: StorageIo = {
    append: (handle, data) => (++appends > 12 ? enospc() : defaultIo.append(handle, data)),
    replace: (target, data) => (appends > 12 ? enospc() : defaultIo.replace(target, data)),
  };
  before(async () => {
    h = await startHarness({ rooms: ["dev"], storageIo });
  });
  after(async () => {
    await h.close();
  });

  it("reports created only what is durable; the rest fail, and a restart shows exactly the reported ones", async () => {
    const file = await h.writeConfig(servicesYaml(N, { owner: "disk" }));
    const target = h.target();
    const result = await applyRun(target, await planDesired(target, await loadConfig(file)), { concurrency: 4, wait: false });
    assert.ok(result.summary.failed > 0, `some creates must fail once the disk is full: ${JSON.stringify(result.summary)}`);
    assert.ok(result.summary.created > 0, `some creates were durable first: ${JSON.stringify(result.summary)}`);
    assert.equal(result.summary.created + result.summary.failed, N, JSON.stringify(result.summary));
    const inMemory = h.room.services("dev").length;
    assert.equal(inMemory, result.summary.created, "the room holds nothing it could not persist");
    appends = -1_000_000; // space freed
    await h.restart();
    assert.equal(h.room.services("dev").length, result.summary.created, "every reported create survived the restart");
  });
});
