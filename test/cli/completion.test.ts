import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { flagsOf } from "../../src/cli/completion.js";

describe("cli/completion", () => {
  it("completes the targeting flags where they are taken, and not on destroy, which refuses them", () => {
    for (const command of ["plan", "apply", "watch", "status"]) {
      for (const flag of ["--service", "--room", "--exclude"]) assert.ok(flagsOf(command).includes(flag), `${command} ${flag}`);
    }
    assert.deepEqual(flagsOf("destroy").filter((f) => ["--service", "--room", "--exclude"].includes(f)), []);
  });
});
