// Scratch space for a test suite or a single test, and a process id that is certainly dead.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, type TestContext } from "node:test";

/** Call inside a `describe`: returns a maker of fresh temp dirs, all removed after the suite. */
export function suiteTempDirs(prefix: string): () => Promise<string> {
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));
  return async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `meshdeploy-${prefix}-`));
    dirs.push(dir);
    return dir;
  };
}

/** A fresh temp dir for one test, removed when that test ends. */
export function testTempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `meshdeploy-${prefix}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The pid of a child that has already exited. */
export function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}
