// Machine-readable everything (docs/json-output.md), through runCli with --local: validate, plan
// and apply with `--output json` write exactly one JSON document on stdout, also on a config error
// (diagnostics with file:line:col, like `terraform validate -json`); human lines go to stderr.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, it } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const GOOD = `version: 1
room: dev
owner: js
services:
  - tag: acme/web:1
    template: none
`;
const BAD = `version: 1
room: dev
servics:
  - tag: acme/web:1
`;

describe("--output json", () => {
  const tempDir = suiteTempDirs("json-output");
  let dir: string;
  const run = (...argv: string[]) => runInProcess(argv, { cwd: dir });
  before(async () => {
    dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy.yaml"), GOOD);
    await writeFile(path.join(dir, "bad.yaml"), BAD);
  });

  it("validate: valid, and on a config error the diagnostics as JSON with their location", async () => {
    const ok = await run("validate", "--output", "json");
    assert.equal(ok.code, 0);
    assert.deepEqual(JSON.parse(ok.stdout), { formatVersion: 1, command: "validate", valid: true, errorCount: 0, diagnostics: [], file: ".meshdeploy.yaml", services: 1, rooms: 1, owner: "js", platform: null });
    const bad = await run("validate", "-f", "bad.yaml", "-o", "json");
    assert.equal(bad.code, 1);
    const doc = JSON.parse(bad.stdout);
    assert.equal(doc.valid, false);
    assert.equal(doc.errorCount, doc.diagnostics.length);
    assert.ok(doc.errorCount >= 1);
    const unknown = doc.diagnostics.find((d: { message: string }) => d.message.includes("servics"));
    assert.ok(unknown, bad.stdout);
    assert.deepEqual(unknown.location, { file: "bad.yaml", line: 3, column: 1 });
    assert.equal(unknown.severity, "error");
    assert.match(unknown.hint, /services/);
    assert.match(bad.stderr, /bad\.yaml:3:1/, "the human error still goes to stderr");
  });

  it("plan: a config error is a diagnostics document on stdout, not nothing", async () => {
    const bad = await run("plan", "--local", "-f", "bad.yaml", "--output", "json");
    assert.equal(bad.code, 1);
    const doc = JSON.parse(bad.stdout);
    assert.equal(doc.command, "plan");
    assert.equal(doc.valid, false);
    assert.equal(doc.diagnostics[0].location.file, "bad.yaml");
  });

  it("under GitHub Actions annotations (config errors, plan problems) go to stderr: stdout stays one JSON document", async () => {
    for (const command of ["validate", "plan"]) {
      const bad = await runInProcess([command, ...(command === "plan" ? ["--local"] : []), "-f", "bad.yaml", "-o", "json"], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir } });
      assert.equal(bad.code, 1);
      assert.equal(JSON.parse(bad.stdout).valid, false, bad.stdout);
      assert.match(bad.stderr, /^::error file=bad\.yaml,line=3,col=1,title=meshdeploy%3A [^:]+::.*servics/m);
    }
    // A plan problem after the JSON document was written (apply -o json): annotations on stderr too.
    const own = await tempDir(); // its own local room: this one speaks 0.39.9
    await writeFile(path.join(own, "problem.yaml"), "version: 1\nroom: dev\nowner: js\nservices:\n  - tag: acme/api:1\n    domain: api.example.com\n");
    const refused = await runInProcess(["apply", "--local", "--platform", "0.39.9", "-f", "problem.yaml", "--yes", "-o", "json"], { cwd: own, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: own } });
    assert.equal(refused.code, 1, refused.stderr);
    assert.equal(JSON.parse(refused.stdout).outcome, "refused", refused.stdout);
    assert.match(refused.stderr, /^::error file=problem\.yaml,line=6,col=13,title=meshdeploy%3A plan::acme-api in room dev: domain requires/m);
    // Without --output json the annotations stay on stdout, where they always were.
    const human = await runInProcess(["validate", "-f", "bad.yaml"], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: dir } });
    assert.match(human.stdout, /^::error file=bad\.yaml,line=3,col=1,/m);
  });

  it("apply: needs --yes; then what was done per service, with ids; human lines on stderr", async () => {
    const refused = await run("apply", "--local", "--output", "json");
    assert.equal(refused.code, 1);
    assert.equal(refused.stdout, "", "a usage error is not a JSON document");
    assert.match(refused.stderr, /--output json needs --yes/);
    const applied = await run("apply", "--local", "--yes", "--no-wait", "--output", "json");
    assert.equal(applied.code, 0, applied.stderr);
    const doc = JSON.parse(applied.stdout);
    assert.equal(doc.formatVersion, 1);
    assert.equal(doc.outcome, "applied");
    assert.deepEqual(doc.summary, { created: 1, updated: 0, deleted: 0, unchanged: 0, failed: 0, skipped: 0 });
    assert.equal(doc.services.length, 1);
    assert.equal(doc.services[0].name, "acme-web");
    assert.equal(doc.services[0].outcome, "created");
    assert.match(doc.services[0].id, /^[0-9a-f-]{36}$/);
    assert.equal(doc.services[0].error, null);
    assert.equal(doc.plan.summary.create, 1);
    assert.match(applied.stderr, /acme-web created/);
    const again = await run("apply", "--local", "--yes", "--output", "json");
    assert.equal(JSON.parse(again.stdout).outcome, "no-changes");
  });

  it("apply: any other failure (an unreadable saved plan) is an error document", async () => {
    await writeFile(path.join(dir, "broken-plan.json"), "{}");
    const r = await run("apply", "broken-plan.json", "--local", "--output", "json");
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.command, "apply");
    assert.equal(doc.error.code, "E_PLAN_FILE", r.stdout + r.stderr);
    assert.ok(doc.error.message.length > 0);
  });
});
