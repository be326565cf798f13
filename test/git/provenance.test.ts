// Provenance and --require-clean against real temporary git repositories.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { before, describe, test } from "node:test";
import { MeshdeployError } from "../../src/errors.js";
import { readProvenance } from "../../src/git/provenance.js";
import { requireClean } from "../../src/git/require-clean.js";
import { initRepo, type TestRepo } from "../helpers/git-repo.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

/** The git this test run would use, resolved before PATH is changed. */
function realGit(): string {
  return execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
}

describe("readProvenance", () => {
  const tempDir = suiteTempDirs("prov");
  let dir: string;
  let repo: TestRepo;
  let sha: string;
  before(async () => {
    dir = await tempDir();
    repo = await initRepo(path.join(dir, "shop"));
    sha = await repo.commit({ "deploy/.meshdeploy.yaml": "version: 1\nservices: []\n", "web/app.py": "print(1)\n" }, "first");
  });

  test("a clean tree without a remote: the commit, not dirty, the repo-relative path", async () => {
    const result = await readProvenance(path.join(repo.dir, "deploy/.meshdeploy.yaml"));
    assert.ok(result.ok);
    assert.deepEqual(
      { gitSha: result.provenance.gitSha, gitDirty: result.provenance.gitDirty, source: result.provenance.source, dirtyFiles: result.provenance.dirtyFiles },
      { gitSha: sha, gitDirty: false, source: "deploy/.meshdeploy.yaml", dirtyFiles: [] },
    );
  });

  test("asks git each question once: one `git status`, not a second one for the dirty mark", async () => {
    // A `git` earlier on PATH that logs its arguments and runs the real one.
    const bin = path.join(dir, "bin");
    const log = path.join(dir, "git-calls.log");
    await mkdir(bin, { recursive: true });
    await writeFile(path.join(bin, "git"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec ${JSON.stringify(realGit())} "$@"\n`, { mode: 0o755 });
    const saved = process.env["PATH"];
    process.env["PATH"] = `${bin}${path.delimiter}${saved ?? ""}`;
    try {
      await rm(log, { force: true });
      const result = await readProvenance(path.join(repo.dir, "deploy/.meshdeploy.yaml"));
      assert.ok(result.ok);
      const calls = (await readFile(log, "utf8")).trim().split("\n");
      assert.equal(calls.filter((c) => /(^| )status( |$)/.test(c)).length, 1, calls.join("\n"));
    } finally {
      process.env["PATH"] = saved;
    }
  });

  test("the remote URL is recorded without its credentials", async () => {
    await repo.git.addRemote("origin", "https://ci-bot:ghp_SECRET123456@github.com/acme/shop.git");
    try {
      const result = await readProvenance(path.join(repo.dir, "deploy/.meshdeploy.yaml"));
      assert.ok(result.ok);
      assert.equal(result.provenance.source, "https://github.com/acme/shop.git#deploy/.meshdeploy.yaml");
    } finally {
      await repo.git.removeRemote("origin");
    }
  });

  test("modified and untracked files make it dirty; meshdeploy's own .meshdeploy/ state does not", async () => {
    await mkdir(path.join(repo.dir, "deploy/.meshdeploy/local"), { recursive: true });
    await writeFile(path.join(repo.dir, "deploy/.meshdeploy/contexts.json"), "{}");
    let result = await readProvenance(path.join(repo.dir, "deploy/.meshdeploy.yaml"));
    assert.ok(result.ok);
    assert.equal(result.provenance.gitDirty, false);
    await writeFile(path.join(repo.dir, "web/app.py"), "print(2)\n");
    await writeFile(path.join(repo.dir, "notes.txt"), "x");
    result = await readProvenance(path.join(repo.dir, "deploy/.meshdeploy.yaml"));
    assert.ok(result.ok);
    assert.equal(result.provenance.gitDirty, true);
    assert.deepEqual(result.provenance.dirtyFiles, [" M web/app.py", "?? notes.txt"]);
    await repo.git.raw(["checkout", "--", "web/app.py"]);
    await rm(path.join(repo.dir, "notes.txt"));
  });

  test("outside a git tree: a reason, no provenance", async () => {
    await writeFile(path.join(dir, "loose.yaml"), "version: 1\nservices: []\n");
    const result = await readProvenance(path.join(dir, "loose.yaml"));
    assert.deepEqual(result, { ok: false, reason: `${dir} is not inside a git work tree` });
  });
});

describe("requireClean", () => {
  const provenance = (dirtyFiles: string[]) => ({ ok: true as const, provenance: { root: "/r", gitSha: "a".repeat(40), gitDirty: dirtyFiles.length > 0, source: "x", dirtyFiles } });

  test("passes a clean tree and refuses a dirty one, listing every dirty file", () => {
    requireClean(provenance([]));
    assert.throws(
      () => requireClean(provenance([" M web/app.py", "?? notes.txt"])),
      (error: unknown) =>
        error instanceof MeshdeployError &&
        error.code === "E_DIRTY" &&
        error.message === "--require-clean: the work tree at /r has 2 uncommitted changes; nothing was changed:\n   M web/app.py\n  ?? notes.txt",
    );
  });

  test("ignores the given files (a saved plan lying in the tree) and refuses outside git", () => {
    requireClean(provenance(["?? plan.json"]), ["/r/plan.json"]);
    assert.throws(() => requireClean({ ok: false, reason: "/tmp is not inside a git work tree" }), /--require-clean: \/tmp is not inside a git work tree/);
  });
});
