// `watch --logs` streams the container log of a service it deployed, and keeps streaming lines
// the container prints later (a crash loop's exits); `watch` reports a crash loop as the cycle's
// health error. In-process against --local, stopped with the abort signal.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../../src/cli/run.js";
import { captureIo } from "../helpers/capture-io.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { waitFor } from "../helpers/wait.js";

describe("watch --logs", { timeout: 60_000 }, () => {
  const tempDir = suiteTempDirs("watch-logs");

  it("streams the deployed service's log, including lines printed after the deploy", async () => {
    const cwd = await tempDir();
    await writeFile(path.join(cwd, ".meshdeploy.yaml"), 'version: 1\nroom: dev\nowner: wl\nservices:\n  - tag: acme/web:1\n    env: {MESHDEPLOY_LOCAL_LOG: "web: listening", MESHDEPLOY_LOCAL_CRASH: "9"}\n');
    const stop = new AbortController();
    const io = captureIo(cwd, {}, stop.signal);
    const running = runCli(["watch", "--local", "--platform", "0.50.1", "--logs", "--no-wait"], io);
    try {
      await waitFor("the first log line", () => io.stdout.some((l) => l === "[acme-web] web: listening"), 20_000);
      // Lines the container prints later (each crash-loop exit) arrive on the same stream.
      await waitFor("a later line", () => io.stdout.some((l) => l === "[acme-web] local room: container exited with code 9 (MESHDEPLOY_LOCAL_CRASH)"), 20_000);
    } finally {
      stop.abort();
      assert.equal(await running, 130, io.all());
    }
  });

  it("a cycle with no change still reads health: a crash loop is the cycle's error", async () => {
    const cwd = await tempDir();
    const config = 'version: 1\nroom: dev\nowner: wh\nservices:\n  - tag: acme/bad:1\n    env: {MESHDEPLOY_LOCAL_CRASH: "5"}\n';
    await writeFile(path.join(cwd, ".meshdeploy.yaml"), config);
    const stop = new AbortController();
    const io = captureIo(cwd, {}, stop.signal);
    const running = runCli(["watch", "--local", "--platform", "0.50.1", "--debounce", "50"], io);
    try {
      await waitFor("the end of the first cycle (its wait fails on the crash)", () => io.stdout.some((l) => /^✗ cycle 1 /.test(l)), 20_000);
      await writeFile(path.join(cwd, ".meshdeploy.yaml"), `${config}# touched\n`);
      await waitFor("the health error of cycle 2", () => io.stderr.some((l) => /1 declared service\(s\) not live: acme-bad \(crashloop, exit code 5\)/.test(l)), 20_000).catch((e: Error) => { throw new Error(`${e.message}:\n${io.all()}`); });
      assert.ok(io.stderr.some((l) => /acme-bad \(room dev\) is not live: crashloop/.test(l)), io.all());
    } finally {
      stop.abort();
      assert.equal(await running, 130, io.all());
    }
  });
});
