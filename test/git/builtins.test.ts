// The git built-ins (audit defects 10 and 11): a dirty tree's shas carry `-dirty`, GIT_* set in the
// environment win over git, and GIT_BRANCH_SLUG is a valid image-tag component.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { branchSlug, gitBuiltins, readGitHead } from "../../src/git/builtins.js";
import { initRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

describe("git built-ins", () => {
  const tempDir = suiteTempDirs("builtins");

  test("a dirty tree: both shas end in -dirty; a clean one does not", () => {
    assert.deepEqual(gitBuiltins({ root: "/r", sha: SHA, branch: "main", dirty: true })["GIT_SHORT_SHA"], { value: "0123456-dirty" });
    assert.deepEqual(gitBuiltins({ root: "/r", sha: SHA, branch: "main", dirty: true })["GIT_SHA"], { value: `${SHA}-dirty` });
    assert.deepEqual(gitBuiltins({ root: "/r", sha: SHA, branch: "main", dirty: false })["GIT_SHORT_SHA"], { value: "0123456" });
  });

  test("GIT_* in the environment win over git, and the slug follows GIT_BRANCH", () => {
    const vars = gitBuiltins({ root: "/r", sha: SHA, branch: "main" }, { GIT_SHORT_SHA: "override", GIT_BRANCH: "feature/X" });
    assert.deepEqual(vars["GIT_SHORT_SHA"], { value: "override" });
    assert.deepEqual(vars["GIT_BRANCH"], { value: "feature/X" });
    assert.deepEqual(vars["GIT_BRANCH_SLUG"], { value: "feature-x" });
    const detached = gitBuiltins({ root: "/r", sha: SHA, branch: null }, {});
    assert.match((detached["GIT_BRANCH_SLUG"] as { unavailable: string }).unavailable, /HEAD is detached/);
  });

  test("branchSlug: lower case, runs of other characters one `-`, trimmed, at most 63", () => {
    assert.equal(branchSlug("feature/Login_v2"), "feature-login-v2");
    assert.equal(branchSlug("--Fix..Bug--"), "fix-bug");
    assert.equal(branchSlug(`a/${"b".repeat(80)}`).length, 63);
    assert.equal(branchSlug("///"), "");
  });

  test("a real repository with an uncommitted edit: ${GIT_SHORT_SHA} in a tag gets -dirty", async () => {
    const repo = await initRepo(path.join(await tempDir(), "shop"));
    const sha = await repo.commit({ ".meshdeploy.yaml": "version: 1\nroom: dev\nservices:\n  - tag: web:${GIT_SHORT_SHA}\n", "app.py": "print(1)\n" }, "first");
    const file = path.join(repo.dir, ".meshdeploy.yaml");
    assert.equal((await loadConfig(file, { env: {} })).services[0]?.tag, `web:${sha.slice(0, 7)}`);
    await writeFile(path.join(repo.dir, "app.py"), "print(2)\n");
    const head = await readGitHead(repo.dir);
    assert.ok(!("unavailable" in head) && head.dirty === true);
    assert.equal((await loadConfig(file, { env: {} })).services[0]?.tag, `web:${sha.slice(0, 7)}-dirty`);
    assert.equal((await loadConfig(file, { env: { GIT_SHORT_SHA: "ci123" } })).services[0]?.tag, "web:ci123");
  });
});
