// End to end: spawn the built binary (dist/cli/main.js, built by `npm test`) as
// `meshdeploy watch --local` in a temp project, edit a file, then Ctrl-C (SIGINT): the process
// closes its room connections and exits 130 by itself.
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { BIN } from "../../helpers/binary.js";

const CONFIG = `version: 1
room: dev
owner: e2e-watch
services:
  - tag: web:1
    build: ./web
  - tag: plain:1
    env: {MODE: a}
`;

describe("meshdeploy watch (binary)", { timeout: 60_000 }, () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let stdout = "";
  let stderr = "";
  let waiters: (() => void)[] = [];
  const exit = (): Promise<number | null> => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code))));
  async function printed(pattern: RegExp): Promise<void> {
    while (!pattern.test(stdout)) {
      if (child.exitCode !== null) assert.fail(`exited ${child.exitCode} before printing ${pattern}\n${stdout}\n${stderr}`);
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-watch-e2e-"));
    await mkdir(path.join(dir, "web"));
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG);
    await writeFile(path.join(dir, "web/Dockerfile"), 'FROM node:20-alpine\nCOPY . /app\nCMD ["node", "/app/app.js"]\n');
    await writeFile(path.join(dir, "web/app.js"), "console.log(1)\n");
    child = spawn(process.execPath, [BIN, "watch", "--local", "--debounce", "100"], { cwd: dir, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1" } });
    const wake = (): void => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    child.stdout.on("data", (d) => {
      stdout += String(d);
      wake();
    });
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("exit", wake);
  });
  after(async () => {
    if (child.exitCode === null) child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
  });

  it("reconciles once, then on a save rebuilds only what changed, naming the file", async () => {
    await printed(/✓ cycle 1 · created local-web, local-plain/);
    await writeFile(path.join(dir, "web/app.js"), "console.log(2)\n");
    await printed(/▶ cycle 2 · web\/app\.js → web:1/);
    await printed(/✓ cycle 2 · updated local-web \(/);
    // The next cycle is the config edit alone: the save above started exactly one cycle.
    await writeFile(path.join(dir, ".meshdeploy.yaml"), CONFIG.replace("MODE: a", "MODE: b"));
    await printed(/✓ cycle 3 · updated local-plain \(/);
    assert.match(stdout, /▶ cycle 3 · \.meshdeploy\.yaml → config\n/);
  });

  it("Ctrl-C stops watching, closes everything and exits 130", async () => {
    child.kill("SIGINT");
    assert.equal(await exit(), 130, stderr);
    assert.match(stdout, /Stopped watching\.\n$/);
    assert.doesNotMatch(stderr, /error/i);
  });
});
