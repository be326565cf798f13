// `apply --local` while `sync --local` runs on the same directory (audit L12): the loop publishes
// its in-process room as `local serve` does, so the apply uses it at once instead of waiting up to
// 15 minutes for DIR/lock; once the loop stops, the marker is gone and runs start their own room.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { finished, runBinaryAsync, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

function git(cwd: string, ...args: string[]): void {
  execFileSync("git", args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
}

describe("a long-running --local loop shares its room", () => {
  const tempDir = suiteTempDirs("e2e-shared");

  it("apply --local during sync --local runs at once against the sync's room", { timeout: 120_000 }, async () => {
    const dir = await tempDir();
    const repo = path.join(dir, "repo");
    mkdirSync(repo);
    git(repo, "init", "-q", "-b", "main");
    writeFileSync(path.join(repo, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: from-sync\nservices:\n  - tag: shared/synced:1\n");
    git(repo, "add", ".");
    git(repo, "commit", "-q", "-m", "one");
    const project = path.join(dir, "project");
    mkdirSync(project);
    writeFileSync(path.join(project, "other.yaml"), "version: 1\nroom: dev\nowner: from-apply\nservices:\n  - tag: shared/applied:1\n");
    const sync = spawnBinary(["sync", "--repo", `file://${repo}`, "--ref", "main", "--local", "--no-wait", "--interval", "600"], project);
    try {
      await waitForOutput(sync, /commit [0-9a-f]{7} one: applied/);
      const started = Date.now();
      const apply = await runBinaryAsync(["apply", "--local", "--yes", "--no-wait", "-f", "other.yaml"], project);
      assert.equal(apply.code, 0, apply.stdout + apply.stderr);
      assert.doesNotMatch(apply.stderr, /waiting for another meshdeploy run/);
      assert.match(apply.stdout, /1 created/);
      assert.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
    } finally {
      sync.kill("SIGINT");
      await finished(sync);
    }
    assert.equal(existsSync(path.join(project, ".meshdeploy", "local", "server.json")), false, "the loop withdrew its room when it stopped");
    const plan = await runBinaryAsync(["plan", "--local", "--detailed-exitcode", "-f", "other.yaml"], project);
    assert.equal(plan.code, 0, "what the apply wrote into the sync's room was saved: " + plan.stdout + plan.stderr);
  });
});
