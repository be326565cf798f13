// What a changed path means: config, a context (only what packing would send), or nothing.
// The scope is built from real files by readScope, so the .dockerignore goes through packing's matcher.
import assert from "node:assert/strict";
import { mkdir, realpath, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { before, describe, it } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { readScope, watchRoots } from "../../../src/loops/watch/read-scope.js";
import { classify, isWatched, type WatchScope } from "../../../src/loops/watch/scope.js";
import { suiteTempDirs, testTempDir } from "../../helpers/temp-dirs.js";

const CONFIG = `version: 1
room: dev
owner: watchers
services:
  - tag: web:1
    build: ./web
  - tag: api:1
    build: {context: ./api, dockerfile: docker/Dockerfile.api}
  - tag: api-worker:1
    build: {context: ./api, dockerfile: docker/Dockerfile.api}
  - tag: all:1
    build: .
  - tag: plain:1
`;

async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, name)), { recursive: true });
    await writeFile(path.join(root, name), text);
  }
}

describe("watch scope", () => {
  const tempDir = suiteTempDirs("scope");
  let dir: string;
  let scope: WatchScope;
  const p = (rel: string): string => path.join(dir, rel);
  before(async () => {
    dir = await realpath(await tempDir());
    await tree(dir, {
      ".meshdeploy.yaml": CONFIG,
      ".dockerignore": "web/\napi/\n*.md\n",
      "web/Dockerfile": "FROM node:20\n",
      "web/app.js": "1",
      "web/.dockerignore": "node_modules\n*.log\n!keep.log\nbuild/\ndist\n!dist/keep.txt\n",
      "api/docker/Dockerfile.api": "FROM python:3.12\n",
      "api/.dockerignore": "docker/\n",
      "api/app.py": "1",
      "Dockerfile": "FROM scratch\n",
    });
    scope = await readScope(await loadConfig(p(".meshdeploy.yaml")), { skipPaths: [p("state")] });
  });

  it("groups services sharing a context; watches the config dir once (contexts inside it are nested)", () => {
    assert.deepEqual(
      scope.contexts.map((c) => [path.relative(dir, c.root), c.services]),
      [["web", ["web:1"]], ["api", ["api:1", "api-worker:1"]], ["", ["all:1"]]],
    );
    assert.deepEqual(watchRoots(scope), [dir]);
    assert.equal(scope.configFile, p(".meshdeploy.yaml"));
  });

  it("classifies: the config → replan; a context file → that context's services; outside → nothing", () => {
    // The config lies inside the `build: .` context, so packing sends it too.
    assert.deepEqual(classify(scope, [p(".meshdeploy.yaml")]), { config: true, services: ["all:1"], files: [p(".meshdeploy.yaml")] });
    assert.deepEqual(classify(scope, [p("web/app.js")]), { config: false, services: ["web:1"], files: [p("web/app.js")] });
    assert.deepEqual(classify(scope, [p("api/app.py")]), { config: false, services: ["api:1", "api-worker:1"], files: [p("api/app.py")] });
    // The root context's own .dockerignore excludes *.md and the other contexts' directories.
    assert.deepEqual(classify(scope, [p("README.md"), path.join(os.tmpdir(), "elsewhere", "x")]), { config: false, services: [], files: [] });
    assert.deepEqual(classify(scope, [p("notes.txt")]).services, ["all:1"]);
  });

  it("a file in two contexts (nested, not excluded by the outer one) triggers both", async () => {
    const nested = await readScope(await loadConfig(p(".meshdeploy.yaml")));
    const outer = nested.contexts.find((c) => c.root === dir)!;
    const shared = { ...nested, contexts: nested.contexts.map((c) => (c === outer ? { ...c, ignore: null } : c)) };
    assert.deepEqual(classify(shared, [p("web/app.js")]).services, ["web:1", "all:1"]);
  });

  it("follows the context's .dockerignore exactly as packing does", () => {
    const web = (rel: string): string[] => classify(scope, [p(`web/${rel}`)]).services;
    assert.deepEqual(web("node_modules/x/index.js"), [], "ignored directory");
    assert.deepEqual(web("src/node_modules/y.js"), [], "gitwildmatch: no slash matches at any depth");
    assert.deepEqual(web("debug.log"), []);
    assert.deepEqual(web("keep.log"), ["web:1"], "un-ignored by !");
    assert.deepEqual(web("build/out.js"), [], "dir-only pattern, under the directory");
    assert.deepEqual(web("build"), ["web:1"], "dir-only pattern does not match a file named build");
    assert.deepEqual(web("build/"), [], "…but matches the directory");
    assert.deepEqual(web("dist/keep.txt"), [], "an ignored directory hides what a ! line un-ignores");
    assert.deepEqual(web(".dockerignore"), ["web:1"], "editing the rules matters");
    assert.deepEqual(web("Dockerfile"), ["web:1"]);
  });

  it("the named Dockerfile is always followed even when its directory is ignored", () => {
    assert.deepEqual(classify(scope, [p("api/docker/Dockerfile.api")]).services, ["api:1", "api-worker:1"]);
    assert.deepEqual(classify(scope, [p("api/docker/other")]).services, []);
    assert.equal(isWatched(scope, p("api/docker"), true), true, "the way to the Dockerfile stays open");
  });

  it("never follows .git, AppleDouble, editor temp files, or meshdeploy's state", () => {
    for (const rel of [
      "web/.git/index",
      "web/.git/",
      "web/._app.js",
      "web/.app.js.swp",
      "web/.app.js.swx",
      "web/app.js~",
      "web/.#app.js",
      "web/#app.js#",
      "web/4913",
      "web/app.js___jb_tmp___",
      ".meshdeploy/contexts.json",
      ".meshdeploy/local/state.json",
      "state/x",
    ]) {
      assert.deepEqual(classify(scope, [p(rel)]), { config: false, services: [], files: [] }, rel);
    }
  });

  it("isWatched: prunes ignored directories, keeps the way to context roots, is conservative when the type is unknown", () => {
    assert.equal(isWatched(scope, dir, true), true);
    assert.equal(isWatched(scope, p("web/node_modules"), true), false);
    assert.equal(isWatched(scope, p("web/build"), true), false);
    assert.equal(isWatched(scope, p("web/build"), undefined), true, "unknown type: only what is ignored as a file");
    assert.equal(isWatched(scope, p(".git"), undefined), false);
    assert.equal(isWatched(scope, p("README.md"), false), false);
    assert.equal(isWatched(scope, p(".meshdeploy"), true), false);
  });

  it("a context outside the config's directory is watched through its parent; a symlinked context resolves", async (t) => {
    const other = await realpath(testTempDir(t, "scope-other"));
    await tree(other, { "svc/Dockerfile": "FROM scratch\n" });
    await symlink(path.join(other, "svc"), p("linked"));
    await writeFile(p("two.yaml"), `version: 1\nroom: dev\nowner: w\nservices:\n  - tag: a:1\n    build: ${path.join(other, "svc")}\n  - tag: b:1\n    build: ./linked\n`);
    const s = await readScope(await loadConfig(p("two.yaml")));
    assert.deepEqual(s.contexts.map((c) => [c.root, c.services]), [[path.join(other, "svc"), ["a:1", "b:1"]]]);
    // Its parent, so the context coming back after a delete is seen (read-scope.ts `watchRoots`).
    assert.deepEqual(watchRoots(s), [dir, other].sort());
    assert.equal(isWatched(s, other, true), true, "the way to the context");
    assert.equal(isWatched(s, path.join(other, "sibling"), true), false, "the parent's other entries are not descended into");
    assert.equal(isWatched(s, path.join(other, "notes.txt"), false), false);
    assert.deepEqual(classify(s, [path.join(other, "svc/main.go")]).services, ["a:1", "b:1"]);
  });

  it("a context holding the config's directory is its own root (deleting it deletes the config too)", async () => {
    await writeFile(p("web/up.yaml"), "version: 1\nroom: dev\nowner: w\nservices:\n  - tag: up:1\n    build: ..\n  - tag: here:1\n    build: .\n");
    try {
      assert.deepEqual(watchRoots(await readScope(await loadConfig(p("web/up.yaml")))), [dir]);
    } finally {
      await rm(p("web/up.yaml"));
    }
  });

  it("the scope key changes when a .dockerignore changes", async () => {
    await writeFile(p("web/.dockerignore"), "node_modules\n");
    const next = await readScope(await loadConfig(p(".meshdeploy.yaml")), { skipPaths: [p("state")] });
    assert.notEqual(next.key, scope.key);
    assert.deepEqual(classify(next, [p("web/debug.log")]).services, ["web:1"]);
    const again = await readScope(await loadConfig(p(".meshdeploy.yaml")), { skipPaths: [p("state")] });
    assert.equal(again.key, next.key);
  });
});
