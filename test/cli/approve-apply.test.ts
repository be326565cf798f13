// Confirmation like Terraform's, through runCli against the real local room: changes with no
// terminal and no --yes are refused (exit 1, nothing written); `n` is "Apply cancelled" (exit 1);
// Ctrl-C/Ctrl-D at the question exit 130 with nothing written; --local creates and updates
// unasked but still asks before deleting.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MeshdeployError } from "../../src/errors.js";
import { runCli } from "../../src/cli/run.js";
import { approvalFor } from "../../src/cli/commands/approve-apply.js";
import type { Plan } from "../../src/plan/types.js";
import { captureIo } from "../helpers/capture-io.js";
import { cliRoomSuite } from "../helpers/cli-room.js";
import { type Harness, startHarness } from "../helpers/local-room.js";

const CONFIG = `version: 1
room: dev
owner: confirm
services:
  - tag: acme/web:1
  - tag: acme/api:1
`;
const FEWER = CONFIG.replace("  - tag: acme/api:1\n", "");

function planWith(deletes: number): Plan {
  return { owner: "o", prune: true, services: [], problems: [], orphans: [], summary: { create: 1, update: 0, delete: deletes, noop: 0 } };
}

describe("approvalFor (pure)", () => {
  it("--yes proceeds; --local proceeds without deletes; otherwise ask on a terminal, refuse without one", () => {
    const cases: [number, { yes: boolean; local: boolean; interactive: boolean }, string][] = [
      [1, { yes: true, local: false, interactive: false }, "proceed"],
      [0, { yes: false, local: true, interactive: false }, "proceed"],
      [1, { yes: false, local: true, interactive: false }, "refuse"],
      [1, { yes: false, local: true, interactive: true }, "ask"],
      [0, { yes: false, local: false, interactive: true }, "ask"],
      [0, { yes: false, local: false, interactive: false }, "refuse"],
    ];
    for (const [deletes, flags, expected] of cases) assert.equal(approvalFor(planWith(deletes), flags), expected, JSON.stringify({ deletes, ...flags }));
  });
});

describe("apply's confirmation", () => {
  const room = cliRoomSuite();
  const { cli, names } = room;

  it("changes, no terminal, no --yes: refused with the way out, exit 1, nothing written", async () => {
    await room.h.writeConfig(CONFIG);
    const { code, io } = await cli(["apply", "--no-wait"]);
    assert.equal(code, 1, io.all());
    assert.match(io.all(), /stdin is not a terminal, so apply cannot ask for confirmation; nothing was changed/);
    assert.match(io.all(), /hint: .*--yes/);
    assert.deepEqual(await names(), []);
  });

  it("`n` at the question: Apply cancelled, exit 1, nothing written", async () => {
    await room.h.writeConfig(CONFIG);
    const questions: string[] = [];
    const { code, io } = await cli(["apply", "--no-wait"], { interactive: true, confirm: async (q) => (questions.push(q), false) });
    assert.equal(code, 1, io.all());
    assert.deepEqual(questions, ["Apply these changes?"]);
    assert.match(io.all(), /Apply cancelled; nothing was changed\./);
    assert.deepEqual(await names(), []);
  });

  it("Ctrl-C or Ctrl-D at the question: exit 130, nothing written, no 'bug' message", async () => {
    await room.h.writeConfig(CONFIG);
    const interrupted = async (): Promise<boolean> => {
      throw new MeshdeployError("E_INTERRUPTED", "apply cancelled at the confirmation prompt (Ctrl-C); nothing was changed");
    };
    const { code, io } = await cli(["apply", "--no-wait"], { interactive: true, confirm: interrupted });
    assert.equal(code, 130, io.all());
    assert.doesNotMatch(io.all(), /bug in meshdeploy/);
    assert.deepEqual(await names(), []);
  });

  it("`y` applies; --yes applies without asking", async () => {
    await room.h.writeConfig(CONFIG);
    const yes = await cli(["apply", "--no-wait"], { interactive: true, confirm: async () => true });
    assert.equal(yes.code, 0, yes.io.all());
    assert.deepEqual(await names(), ["acme-api", "acme-web"]);
    await room.h.writeConfig(FEWER);
    const asked: string[] = [];
    const pruned = await cli(["apply", "--prune", "--yes", "--no-wait"], { interactive: true, confirm: async (q) => (asked.push(q), false) });
    assert.equal(pruned.code, 0, pruned.io.all());
    assert.deepEqual(asked, []);
    assert.deepEqual(await names(), ["acme-web"]);
  });

  it("a question with deletes says how many", async () => {
    await room.h.writeConfig(CONFIG);
    assert.equal((await cli(["apply", "--yes", "--no-wait"])).code, 0);
    await room.h.writeConfig(FEWER);
    const questions: string[] = [];
    const { code } = await cli(["apply", "--prune", "--no-wait"], { interactive: true, confirm: async (q) => (questions.push(q), false) });
    assert.equal(code, 1);
    assert.deepEqual(questions, ["Apply these changes, including 1 delete?"]);
    assert.deepEqual(await names(), ["acme-api", "acme-web"]);
  });
});

describe("apply --local's confirmation", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["dev"] });
  });
  after(() => h.close());

  it("creates and updates need no confirmation (the README's first command); deletes still do", async () => {
    await h.writeConfig(CONFIG);
    const io = captureIo(h.projectDir, {});
    assert.equal(await runCli(["apply", "--local", "--no-wait"], io), 0, io.all());
    assert.match(io.all(), /2 created/);
    await h.writeConfig(FEWER);
    const refused = captureIo(h.projectDir, {});
    assert.equal(await runCli(["apply", "--local", "--prune", "--no-wait"], refused), 1, refused.all());
    assert.match(refused.all(), /the plan deletes 1 service and stdin is not a terminal/);
    const plan = captureIo(h.projectDir, {});
    assert.equal(await runCli(["plan", "--local", "--prune", "--detailed-exitcode"], plan), 2, plan.all());
    assert.match(plan.all(), /acme-api\s+delete/);
    const yes = captureIo(h.projectDir, {});
    assert.equal(await runCli(["apply", "--local", "--prune", "--yes", "--no-wait"], yes), 0, yes.all());
    assert.match(yes.all(), /acme-api deleted/);
  });
});
