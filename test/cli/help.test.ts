// Every command that reads the config documents -e/--environment in its own --help (a user reads
// `meshdeploy plan --help`, not the overview, to find how to choose staging).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { commandHelp } from "../../src/cli/help.js";

describe("command help", () => {
  for (const command of ["validate", "plan", "apply", "watch", "status", "logs", "destroy", "secret", "sync"]) {
    it(`${command} --help names -e NAME`, () => {
      const help = commandHelp[command];
      assert.ok(help !== undefined);
      assert.match(help.split("\n\n")[0]!, /-e NAME/, "in the usage line");
    });
  }
  for (const command of ["plan", "apply", "watch", "status", "logs", "sync"]) {
    it(`${command} --help explains -e, --environment`, () => assert.match(commandHelp[command]!, /-e, --environment NAME/));
  }
});
