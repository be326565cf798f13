// `apply PLAN` names something that is not a small regular file: a FIFO (a plain read blocks until
// a writer comes, i.e. forever), a device (/dev/zero never ends), a file past the cap. Each is
// refused at once with the plan file's error, like config files (config-file-kinds.test.ts).
// Bounded in time: a read stuck on the FIFO is released by opening it for writing once the
// deadline has passed, so a regression fails here instead of hanging the suite.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { constants, existsSync } from "node:fs";
import { open, symlink, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, it } from "node:test";
import { MAX_PLAN_BYTES } from "../../src/cli/commands/plan-file.js";
import type { CliResult } from "../helpers/binary.js";
import { runInProcess } from "../helpers/capture-io.js";
import { testTempDir } from "../helpers/temp-dirs.js";

const DEADLINE_MS = 5_000;

/** apply with `argv`, or "timed out" once DEADLINE_MS passed (then the FIFO gets a writer and EOF, so the stuck read ends). */
async function applyWithin(argv: string[], cwd: string, fifo: string): Promise<CliResult | "timed out"> {
  const running = runInProcess(argv, { cwd });
  const cancel = new AbortController();
  const deadline = sleep(DEADLINE_MS, "timed out" as const, { signal: cancel.signal }).catch(() => "cancelled" as const);
  const first = await Promise.race([running, deadline]);
  cancel.abort();
  if (first === "cancelled") throw new Error("unreachable: the deadline is cancelled only after the race");
  if (first === "timed out") {
    const writer = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
    await writer?.close();
    await running.catch(() => undefined);
  }
  return first;
}

describe("saved plan files that are not small regular files", { timeout: 60_000 }, () => {
  it("a FIFO named PLAN.json is refused at once, not read (no writer ever comes)", async (t) => {
    const dir = testTempDir(t, "plan-kinds");
    const fifo = path.join(dir, "plan.json");
    execFileSync("mkfifo", [fifo]);
    const result = await applyWithin(["apply", fifo, "--local"], dir, fifo);
    assert.notEqual(result, "timed out", `apply blocked on the FIFO for ${DEADLINE_MS} ms`);
    if (result === "timed out") return;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /Expected a regular plan file, got a FIFO \(named pipe\): .*plan\.json/);
    assert.match(result.stderr, /write it to a file first/);
    assert.equal(existsSync(path.join(dir, ".meshdeploy")), false, "nothing was started or written");
  });

  it("a FIFO without .json is not opened to sniff it: it is refused as the config it then is", async (t) => {
    const dir = testTempDir(t, "plan-kinds");
    const fifo = path.join(dir, "plan");
    execFileSync("mkfifo", [fifo]);
    const result = await applyWithin(["apply", "-f", fifo, "--local"], dir, fifo);
    assert.notEqual(result, "timed out", `apply blocked on the FIFO for ${DEADLINE_MS} ms`);
    if (result === "timed out") return;
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /got a FIFO \(named pipe\)/);
  });

  it("a device (a .json symlink to /dev/zero) is refused", async (t) => {
    const dir = testTempDir(t, "plan-kinds");
    const zero = path.join(dir, "zero.json");
    await symlink("/dev/zero", zero);
    const result = await runInProcess(["apply", zero, "--local"], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Expected a regular plan file, got a device: .*zero\.json/);
  });

  it("a plan file past the cap is refused on its size, without reading it (a sparse file)", async (t) => {
    const dir = testTempDir(t, "plan-kinds");
    const huge = path.join(dir, "huge.json");
    await writeFile(huge, "{}");
    await truncate(huge, MAX_PLAN_BYTES + 1024 * 1024);
    const started = performance.now();
    const result = await runInProcess(["apply", huge, "--local"], { cwd: dir });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Expected a plan file of at most 128 MB, got 129\.0 MB/);
    assert.ok(performance.now() - started < 2_000);
  });
});
