// `.meshagent/deploy.yaml` in a build context (issue 11 item 6): the plan says what `meshagent
// deploy` would do instead; `name:` manages the service under the template's name; a bad `name:`
// is a located error that changes nothing.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

describe(".meshagent/deploy.yaml and name:", { timeout: 60_000 }, () => {
  const tempDir = suiteTempDirs("template");
  const flags = ["--local", "--platform", "0.50.1"];

  async function project(config: string): Promise<string> {
    const cwd = await tempDir();
    await mkdir(path.join(cwd, "agent/.meshagent"), { recursive: true });
    await writeFile(path.join(cwd, "agent/Dockerfile"), "FROM python:3.12-slim\nCMD [\"python\", \"-c\", \"print(1)\"]\n");
    await writeFile(path.join(cwd, "agent/.meshagent/deploy.yaml"), "version: v1\nkind: Service\nmetadata:\n  name: my-agent\n");
    await writeFile(path.join(cwd, ".meshdeploy.yaml"), config);
    return cwd;
  }

  it("the plan says what meshagent deploy would do, and how to manage that service", async () => {
    const cwd = await project("version: 1\nroom: dev\nowner: tpl\nservices:\n  - tag: agent:1\n    build: ./agent\n");
    const plan = await runInProcess(["plan", ...flags], { cwd });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /note: its build context has \.meshagent\/deploy\.yaml: `meshagent deploy` \(0\.41\.6\+\) would deploy it from that template as service `my-agent`.*set `name: my-agent`/);
    const json = await runInProcess(["plan", "-o", "json", ...flags], { cwd });
    const notes = (JSON.parse(json.stdout) as { services: { notes?: string[] }[] }).services[0]!.notes ?? [];
    assert.equal(notes.filter((n) => n.includes(".meshagent/deploy.yaml")).length, 1);
  });

  it("name: manages the service under the template's name", async () => {
    const cwd = await project("version: 1\nroom: dev\nowner: tpl\nservices:\n  - tag: agent:1\n    name: my-agent\n    build: ./agent\n");
    const applied = await runInProcess(["apply", "--yes", ...flags], { cwd });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    assert.match(applied.stdout, /✓ my-agent created/);
    assert.doesNotMatch(applied.stdout, /set `name: my-agent`/);
    const again = await runInProcess(["plan", "--detailed-exitcode", ...flags], { cwd });
    assert.equal(again.code, 0, again.stdout);
  });

  it("a bad name: is a located error", async () => {
    const cwd = await project("version: 1\nroom: dev\nservices:\n  - tag: agent:1\n    name: My_Agent!\n");
    const result = await runInProcess(["validate"], { cwd });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /\.meshdeploy\.yaml:5:11/);
    assert.match(result.stderr, /Expected services\[0\]\.name to be 1–63 lowercase letters/);
  });
});
