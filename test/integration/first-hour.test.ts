// The new-user audit (shared/audits/2026-12-new-user.md) item by item, through runCli in-process
// against the embedded local room: each test reproduces a reported defect and fails without its fix.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { runInProcess } from "../helpers/capture-io.js";
import { testTempDir } from "../helpers/temp-dirs.js";

const SIMPLE = ["version: 1", "room: dev", "owner: firsthour", "services:", "  - tag: fh/api:1", "    env: {A: \"1\"}", ""].join("\n");

describe("the first hour (new-user audit)", { timeout: 120_000 }, () => {
  it("defect 16: --local keeps its room beside the config, not in the current directory, and prints the path", async (t) => {
    const dir = testTempDir(t, "fh-local");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), SIMPLE);
    const sub = path.join(dir, "examples");
    await mkdir(sub);
    const applied = await runInProcess(["apply", "--local", "--yes", "--platform", "0.39.9"], { cwd: dir });
    assert.equal(applied.code, 0, applied.stdout + applied.stderr);
    const planned = await runInProcess(["plan", "--local", "--platform", "0.39.9", "-f", "../.meshdeploy.yaml"], { cwd: sub });
    assert.equal(planned.code, 0, planned.stdout + planned.stderr);
    assert.match(planned.stdout + planned.stderr, /No changes\./);
    assert.equal(existsSync(path.join(sub, ".meshdeploy")), false, "nothing is written under the current directory");
    const shown = path.join(dir, ".meshdeploy", "local");
    assert.ok((planned.stdout + planned.stderr).includes(`local room in-process at ${shown} (project local)`), planned.stderr);
  });
});
