// `-f` names something that is not a small regular file (audit M7): a FIFO (would block forever),
// a device (/dev/zero never ends), a file past the 4 MB cap (checked on its size, before reading).
// Each is refused at once with a located error, by validate and by plan, and the error's code
// frame does not read it either. Ctrl-C / SIGTERM (the Io's signal) stop validate at once.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { captureIo, runInProcess } from "../helpers/capture-io.js";
import { testTempDir } from "../helpers/temp-dirs.js";

describe("config files that are not small regular files", { timeout: 30_000 }, () => {
  it("a FIFO is refused before it is opened (no writer ever comes)", async (t) => {
    const dir = testTempDir(t, "kinds");
    const fifo = path.join(dir, "pipe.yaml");
    execFileSync("mkfifo", [fifo]);
    for (const argv of [["validate", "-f", fifo], ["plan", "--local", "-f", fifo]]) {
      const result = await runInProcess(argv, { cwd: dir });
      assert.equal(result.code, 1, result.stderr);
      // A file that cannot be read as a config has no line to point at: named without a made-up :1:1 (issue 18).
      assert.ok(result.stderr.includes(fifo) && !result.stderr.includes(`${fifo}:1:1`), result.stderr);
      assert.match(result.stderr, /Expected a regular config file, got a FIFO \(named pipe\)/);
    }
    assert.equal(existsSync(path.join(dir, ".meshdeploy")), false);
  });

  it("a device is refused (/dev/zero would be read forever)", async (t) => {
    const dir = testTempDir(t, "kinds");
    const result = await runInProcess(["validate", "-f", "/dev/zero"], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Expected a regular config file, got a device: \/dev\/zero/);
  });

  it("a file past 4 MB is refused on its size, without reading it (a sparse 8 GB file)", async (t) => {
    const dir = testTempDir(t, "kinds");
    const huge = path.join(dir, "huge.yaml");
    await writeFile(huge, "version: 1\n");
    await truncate(huge, 8 * 1024 ** 3);
    const started = performance.now();
    const result = await runInProcess(["validate", "-f", huge], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Expected a config file of at most 4 MB, got 8192\.0 MB/);
    assert.ok(performance.now() - started < 2_000);
  });

  it("Ctrl-C / SIGTERM stop validate at once: exit 130, nothing printed on stdout", async (t) => {
    const dir = testTempDir(t, "kinds");
    await writeFile(path.join(dir, ".meshdeploy.yaml"), "version: 1\nroom: dev\nowner: t\nservices:\n  - tag: web:1\n");
    const controller = new AbortController();
    const io = captureIo(dir, {}, controller.signal);
    const running = runCli(["validate"], io);
    controller.abort();
    assert.equal(await running, 130);
    assert.deepEqual(io.stdout, []);
    assert.match(io.stderr.join("\n"), /interrupted; nothing was changed/);
  });
});
