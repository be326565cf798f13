// The GitHub Action run as GitHub runs it: the repository's files (as `uses: OWNER/meshdeploy@REF`
// downloads them) at $GITHUB_ACTION_PATH, each composite step's script through bash -eo pipefail,
// outputs through $GITHUB_OUTPUT. It builds that checkout with `npm ci` (the npm cache first) and
// runs it; nothing is installed by name. Loopback only (--local).
import assert from "node:assert/strict";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "yaml";
import { runCompositeAction } from "../helpers/composite-action.js";
import { copyRepo, REPO_ROOT } from "../helpers/repo-copy.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const CONFIG = `version: 1
room: ci
owner: action
services:
  - tag: acme/web:1
`;

describe("action.yml, run as GitHub runs it", { timeout: 300_000 }, () => {
  const tempDir = suiteTempDirs("action");
  let actionPath: string;
  let workspace: string;

  before(async () => {
    const dir = await tempDir();
    actionPath = path.join(dir, "_actions", "meshdeploy");
    workspace = path.join(dir, "work");
    await copyRepo(actionPath);
    await mkdir(path.join(workspace, "deploy"), { recursive: true });
    await writeFile(path.join(workspace, "deploy", ".meshdeploy.yaml"), CONFIG);
  });

  it("never installs meshdeploy by name: the version is the action's own ref", async () => {
    const action = parse(await readFile(path.join(REPO_ROOT, "action.yml"), "utf8"));
    assert.equal("version" in action.inputs, false, "a `version:` input would fetch a package by name");
    for (const step of action.runs.steps) {
      assert.doesNotMatch(step.run ?? "", /npm (install|i|exec)\b|npx |meshdeploy@/, `${step.name}: fetches something by name`);
    }
  });

  it("builds its checkout, plans (exit 2 reported, the step succeeds) and applies; each run builds anew, as on GitHub", async () => {
    const plan = await runCompositeAction(actionPath, workspace, { command: "plan", "working-directory": "deploy", args: "--local --detailed-exitcode" });
    assert.ok(plan.ok, plan.log);
    assert.deepEqual(plan.skippedUses.map((u) => u.split("@")[0]), ["actions/setup-node"]);
    assert.equal(plan.outputs["exit-code"], "2", plan.log);
    assert.match(plan.log, /Plan: 1 to create/);

    const apply = await runCompositeAction(actionPath, workspace, { command: "apply", "working-directory": "deploy", args: "--local --yes" });
    assert.ok(apply.ok, apply.log);
    assert.equal(apply.outputs["exit-code"], "0");
    assert.match(apply.log, /acme-web created/);

  });
});
