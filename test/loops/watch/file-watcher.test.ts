// chokidar over a real directory: what is reported and what is not. "Not reported" is checked
// with a barrier: after the write that must be ignored, a write that must be reported; the
// ignored path must not show up before the barrier does (events arrive in order).
import assert from "node:assert/strict";
import { cp, mkdir, realpath, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../../src/config/load.js";
import { watchScope, type FileWatcher } from "../../../src/loops/watch/file-watcher.js";
import { readScope } from "../../../src/loops/watch/read-scope.js";
import { suiteTempDirs, testTempDir } from "../../helpers/temp-dirs.js";

const CONFIG = `version: 1
room: dev
owner: watchers
services:
  - tag: web:1
    build: ./web
`;

describe("file watcher", { timeout: 30_000 }, () => {
  let dir: string;
  let watcher: FileWatcher;
  const seen: string[] = [];
  let waiters: { match: (p: string) => boolean; resolve: () => void }[] = [];
  const p = (rel: string): string => path.join(dir, rel);

  /** Resolves with everything seen since `from` once a path matching `match` shows up. */
  async function until(match: (p: string) => boolean, from: number): Promise<string[]> {
    if (!seen.slice(from).some(match)) await new Promise<void>((resolve) => waiters.push({ match, resolve }));
    return seen.slice(from);
  }
  async function barrier(from: number): Promise<string[]> {
    const file = p(`web/barrier-${from}.txt`);
    await writeFile(file, String(from));
    return until((s) => s === file, from);
  }

  before(async () => {
    dir = await realpath(await tempDir());
    await mkdir(p("web/node_modules/lib"), { recursive: true });
    await mkdir(p("web/.git"), { recursive: true });
    await writeFile(p("web/Dockerfile"), "FROM node:20\n");
    await writeFile(p("web/.dockerignore"), "node_modules\n*.log\n");
    await writeFile(p("web/app.js"), "1");
    await writeFile(p("notes.txt"), "not in any context");
    await writeFile(p(".meshdeploy.yaml"), CONFIG);
    const scope = await readScope(await loadConfig(p(".meshdeploy.yaml")));
    watcher = await watchScope(scope, {
      onChange: (changed) => {
        seen.push(changed);
        const ready = waiters.filter((w) => w.match(changed));
        waiters = waiters.filter((w) => !ready.includes(w));
        for (const w of ready) w.resolve();
      },
      onError: (error) => assert.fail(error),
    });
  });
  after(async () => {
    await watcher.close();
  });
  // Registered after the hook above: the dirs are removed once the watcher has closed.
  const tempDir = suiteTempDirs("fw");

  // One config write per test: chokidar drops a second `change` of a path within 50 ms (watch's
  // minimum quiet period is 50 ms for that reason: such a write always joins the earlier batch).
  it("reports an edit in the context", async () => {
    const from = seen.length;
    await writeFile(p("web/app.js"), "2");
    assert.ok((await until((s) => s === p("web/app.js"), from)).includes(p("web/app.js")));
  });

  it("reports an atomic save of the config (write a temp file, rename it over)", async () => {
    const from = seen.length;
    await writeFile(p(".meshdeploy.yaml.tmp~"), CONFIG + "# saved\n");
    await rename(p(".meshdeploy.yaml.tmp~"), p(".meshdeploy.yaml"));
    await until((s) => s === p(".meshdeploy.yaml"), from);
  });

  it("does not report .dockerignore'd paths, .git, editor temp files, or files outside every context", async () => {
    const from = seen.length;
    await writeFile(p("web/node_modules/lib/index.js"), "x");
    await writeFile(p("web/debug.log"), "x");
    await writeFile(p("web/.git/index"), "x");
    await writeFile(p("web/.app.js.swp"), "x");
    await writeFile(p("web/app.js~"), "x");
    await writeFile(p("notes.txt"), "changed");
    await mkdir(p("elsewhere"), { recursive: true });
    await writeFile(p("elsewhere/x.txt"), "x");
    const got = await barrier(from);
    assert.deepEqual(got, [p(`web/barrier-${from}.txt`)]);
  });

  it("reports new directories with a trailing slash, and files in them", async () => {
    const from = seen.length;
    await mkdir(p("web/static"));
    await writeFile(p("web/static/site.css"), "body{}");
    const got = await until((s) => s === p("web/static/site.css"), from);
    assert.ok(got.includes(p("web/static/")), got.join(", "));
  });
});

describe("file watcher: a context outside the config's directory", { timeout: 30_000 }, () => {
  it("is followed again after it is deleted and restored (rm -rf ctx; cp -r backup ctx)", async (t) => {
    const base = await realpath(testTempDir(t, "fw-ext"));
    const ctx = path.join(base, "outside-ctx");
    const app = path.join(ctx, "app.js");
    const seen: string[] = [];
    let wake = (): void => {};
    /** Waits for `p` to be reported from index `from` on; fails after a deadline, so the watcher still closes. */
    const until = async (p: string, from: number, timeoutMs = 5_000): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!seen.slice(from).includes(p)) {
        assert.ok(Date.now() < deadline, `${p} was not reported; seen: ${seen.slice(from).join(", ")}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
    };
    let watcher: FileWatcher | null = null;
    try {
      await mkdir(path.join(base, "proj"));
      await mkdir(ctx);
      await writeFile(path.join(ctx, "Dockerfile"), "FROM node:20\n");
      await writeFile(app, "1");
      await cp(ctx, path.join(base, "backup"), { recursive: true });
      await writeFile(path.join(base, "proj/.meshdeploy.yaml"), CONFIG.replace("./web", "../outside-ctx"));
      watcher = await watchScope(await readScope(await loadConfig(path.join(base, "proj/.meshdeploy.yaml"))), {
        onChange: (changed) => {
          seen.push(changed);
          wake();
        },
        onError: (error) => assert.fail(error),
      });
      await rm(ctx, { recursive: true });
      // Its files' unlinks come last (chokidar delays them): the deletion is fully seen.
      await until(app, 0);
      let from = seen.length;
      await cp(path.join(base, "backup"), ctx, { recursive: true });
      await until(app, from);
      // chokidar reports a re-created directory's files while it is still attaching watchers to
      // them: an edit in those few milliseconds can go unseen (as for any new directory). What
      // matters is that the context is followed again, so edit until one is reported.
      for (let attempt = 2; ; attempt += 1) {
        from = seen.length;
        await writeFile(app, String(attempt));
        try {
          await until(app, from, 1_000);
          break;
        } catch (error) {
          if (attempt >= 6) throw error;
        }
      }
      assert.ok(!seen.some((p) => p.startsWith(path.join(base, "backup"))), "the parent's other entries are not reported");
    } finally {
      await watcher?.close();
    }
  });
});
