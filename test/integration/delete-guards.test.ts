// Delete guards through runCli against the real local room (issue 12, item 5): --max-deletes
// refuses a plan over the cap before any write and names the flag (default 10); `protect: true`
// is recorded on the live service and keeps prune away from it, even once the config no longer
// declares it, until `protect: false` has been applied.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PROTECT } from "../../src/model/annotations.js";
import type { CapturedIo } from "../helpers/capture-io.js";
import { cliRoomSuite } from "../helpers/cli-room.js";

const config = (names: string[], extra: Record<string, string> = {}): string =>
  `version: 1\nroom: dev\nowner: guards\nservices:\n${names.map((n) => `  - tag: acme/${n}:1\n${extra[n] ?? ""}`).join("")}`;

describe("delete guards", () => {
  const room = cliRoomSuite();
  const { cli, names } = room;
  async function applied(yaml: string, ...flags: string[]): Promise<CapturedIo> {
    await room.h.writeConfig(yaml);
    const { code, io } = await cli(["apply", "--yes", "--no-wait", ...flags]);
    assert.equal(code, 0, io.all());
    return io;
  }

  it("--max-deletes N: a plan deleting more is refused before any write, naming the flag; N itself passes", async () => {
    const all = ["a", "b", "c", "d"];
    await applied(config(all));
    await room.h.writeConfig(config(["a"]));
    const refused = await cli(["apply", "--prune", "--yes", "--no-wait", "--max-deletes", "2"]);
    assert.equal(refused.code, 1, refused.io.all());
    assert.match(refused.io.all(), /the plan deletes 3 services, more than --max-deletes 2 allows; nothing was changed/);
    assert.match(refused.io.all(), /hint: .*--max-deletes 3/);
    assert.deepEqual(await names(), all.map((n) => `acme-${n}`));
    const none = await cli(["apply", "--prune", "--yes", "--no-wait", "--max-deletes", "0"]);
    assert.equal(none.code, 1, none.io.all());
    await applied(config(["a"]), "--prune", "--max-deletes", "3");
    assert.deepEqual(await names(), ["acme-a"]);
    assert.match((await cli(["apply", "--max-deletes", "x"])).io.all(), /--max-deletes expects a whole number/);
  });

  it("the default cap is 10 deletes", async () => {
    const many = Array.from({ length: 12 }, (_, i) => `s${i}`);
    await applied(config(many));
    await room.h.writeConfig(config(["s0"]));
    const planned = await cli(["plan", "--prune"]);
    assert.equal(planned.code, 0, planned.io.all());
    assert.match(planned.io.all(), /! apply would refuse this plan: the plan deletes 11 services, more than --max-deletes 10 allows/);
    assert.doesNotMatch((await cli(["plan", "--prune", "--max-deletes", "11"])).io.all(), /would refuse/);
    const refused = await cli(["apply", "--prune", "--yes", "--no-wait"]);
    assert.equal(refused.code, 1, refused.io.all());
    assert.match(refused.io.all(), /deletes 11 services, more than --max-deletes 10 allows/);
    assert.equal((await names()).length, 12);
  });

  it("protect: true is recorded; prune refuses it (also once undeclared) until protect: false is applied", async () => {
    const protect = { b: "    protect: true\n" };
    await applied(config(["a", "b"], protect));
    const b = (await room.h.target().listServices("dev")).find((s) => s.metadata.name === "acme-b");
    assert.equal(b?.metadata.annotations?.[PROTECT], "true");
    const a = (await room.h.target().listServices("dev")).find((s) => s.metadata.name === "acme-a");
    assert.equal(a?.metadata.annotations?.[PROTECT], undefined);

    await room.h.writeConfig(config(["a"]));
    const pruned = await cli(["apply", "--prune", "--yes", "--no-wait"]);
    assert.equal(pruned.code, 1, pruned.io.all());
    assert.match(pruned.io.all(), /acme-b in room dev: service acme-b in room dev is protected .* so prune will not delete it/);
    assert.deepEqual(await names(), ["acme-a", "acme-b"]);
    const orphans = await cli(["plan"]);
    assert.match(orphans.io.all(), /no longer declared: acme-b \(room dev, protected\)/);
    const json = await cli(["plan", "--output", "json"]);
    assert.deepEqual(JSON.parse(json.io.stdout.join("\n")).orphans, [{ name: "acme-b", room: "dev", protected: true }]);

    const off = await applied(config(["a", "b"], { b: "    protect: false\n" }));
    assert.match(off.all(), /meshdeploy's records: protect off/);
    await applied(config(["a"]), "--prune");
    assert.deepEqual(await names(), ["acme-a"]);
  });
});
