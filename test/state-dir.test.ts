// `.meshdeploy/` keeps itself out of git: a `.gitignore` that ignores everything, written once.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ignoreStateDir } from "../src/state-dir.js";
import { testTempDir } from "./helpers/temp-dirs.js";

test("a .meshdeploy directory gets a .gitignore that ignores it all; an existing one and other directories are left alone", (t) => {
  const root = testTempDir(t, "state-dir");
  const state = path.join(root, ".meshdeploy");
  mkdirSync(path.join(state, "local"), { recursive: true });
  writeFileSync(path.join(state, "local", "token"), "secret\n");
  ignoreStateDir(state);
  execFileSync("git", ["init", "-q"], { cwd: root });
  assert.equal(execFileSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: root, encoding: "utf8" }), "", "git sees nothing to add");
  writeFileSync(path.join(state, ".gitignore"), "mine\n");
  ignoreStateDir(state);
  assert.equal(readFileSync(path.join(state, ".gitignore"), "utf8"), "mine\n");
  // A writer deeper inside (sync's clone cache) creates the state directory and its .gitignore first.
  const fresh = path.join(root, "repo", ".meshdeploy");
  ignoreStateDir(path.join(fresh, "sync", "0123abcd"));
  assert.equal(readFileSync(path.join(fresh, ".gitignore"), "utf8").split("\n")[1], "*");
  const other = path.join(root, "data");
  mkdirSync(other);
  ignoreStateDir(other);
  assert.throws(() => readFileSync(path.join(other, ".gitignore")));
});
