// The sync loop's interruptible sleep: a trigger wakes a sleep at once, a trigger during a cycle
// makes the next sleep return at once (exactly one), and Ctrl-C ends it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Trigger } from "../../../src/loops/sync/trigger.js";

const HOUR = 3_600_000;

describe("sync trigger", () => {
  it("fire() ends a long sleep at once", async () => {
    const trigger = new Trigger();
    const started = Date.now();
    const sleeping = trigger.sleep(HOUR, new AbortController().signal);
    trigger.fire();
    await sleeping;
    assert.ok(Date.now() - started < 5_000);
  });

  it("a trigger during a cycle is kept for the next sleep, and several are one", async () => {
    const trigger = new Trigger();
    trigger.fire();
    trigger.fire();
    await trigger.sleep(HOUR, new AbortController().signal);
    const controller = new AbortController();
    let woke = false;
    const second = trigger.sleep(HOUR, controller.signal).then(() => (woke = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(woke, false, "the second sleep must wait: the two triggers were one");
    controller.abort();
    await second;
  });

  it("an aborted signal ends the sleep", async () => {
    const trigger = new Trigger();
    const controller = new AbortController();
    const sleeping = trigger.sleep(HOUR, controller.signal);
    controller.abort();
    await sleeping;
    await trigger.sleep(HOUR, controller.signal);
  });
});
