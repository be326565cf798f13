// Writes in flight, from apply events: what Ctrl-C waits for.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ApplyEvent } from "../../../src/apply/apply-plan.js";
import type { PlannedService } from "../../../src/plan/types.js";
import { WritesInFlight } from "../../../src/loops/watch/in-flight.js";

const web = { room: "dev", name: "web" } as PlannedService;
const api = { room: "dev", name: "api" } as PlannedService;
const phase = (service: PlannedService, p: "building" | "writing" | "restarting" | "waiting" | "live"): ApplyEvent => ({ type: "phase", service, phase: p });
const finish = (service: PlannedService): ApplyEvent => ({ type: "finish", result: { service, outcome: "failed", id: null, error: new Error("x") } });

describe("WritesInFlight", () => {
  it("counts services writing or restarting; building and waiting are not writes", async () => {
    const w = new WritesInFlight();
    w.observe(phase(web, "building"));
    assert.equal(w.count, 0);
    await w.drained();
    w.observe(phase(web, "writing"));
    w.observe(phase(api, "restarting"));
    assert.equal(w.count, 2);
    let drained = false;
    const done = w.drained().then(() => (drained = true));
    w.observe(phase(web, "waiting"));
    await Promise.resolve();
    assert.equal(drained, false);
    w.observe(finish(api));
    await done;
    assert.equal(w.count, 0);
  });
});
