import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { logsFlags, statusFlags } from "../../../src/cli/flags/manage.js";

describe("cli/flags/manage", () => {
  it("status takes --service, --room and --exclude; without them it targets nothing", () => {
    const args = statusFlags(["--service", "api", "--room", "dev", "--room", "staging", "--exclude", "w"]);
    assert.ok(args !== "help");
    assert.deepEqual(args.targets, { services: ["api"], rooms: ["dev", "staging"], exclude: ["w"] });
    const plain = statusFlags([]);
    assert.ok(plain !== "help");
    assert.equal(plain.targets, undefined);
  });

  it("logs keeps its single --room", () => {
    const args = logsFlags(["acme-web", "--room", "dev"]);
    assert.ok(args !== "help");
    assert.equal(args.room, "dev");
  });
});
