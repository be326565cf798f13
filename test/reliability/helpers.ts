// Helpers for the reliability tests: generated configs of N services, a fast retry policy that
// records what it was asked to wait (so Retry-After is checked without sleeping), an in-process
// CLI run with captured output, and the built binary (dist/cli/main.js, built by `npm test`).
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import type { Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import type { RetryPolicy } from "../../src/target/retry.js";
import { prng } from "../helpers/services.js";

import { BIN, runBinary } from "../helpers/binary.js";

export { BIN, runBinary };

/** A config of `n` services spread over `rooms`, each with env, a token preset on every other one, mounts and a port. */
export function servicesYaml(n: number, options: { owner: string; rooms?: string[]; prefix?: string; env?: string } = { owner: "rel" }): string {
  const rooms = options.rooms ?? ["dev"];
  const prefix = options.prefix ?? "svc";
  const lines = ["version: 1", `room: ${rooms[0]}`, `owner: ${options.owner}`, "services:"];
  for (let i = 0; i < n; i += 1) {
    lines.push(`  - tag: rel/${prefix}-${i}:1`);
    if (rooms.length > 1) lines.push(`    room: ${rooms[i % rooms.length]}`);
    lines.push(`    env: {APP_ENV: ${options.env ?? "test"}, INDEX: "${i}"}`);
    if (i % 2 === 0) lines.push("    token: agentDefault");
    if (i % 3 === 0) lines.push('    mounts: {emptyDirs: ["/tmp/cache"]}');
    lines.push("    ports: [{num: 8000, type: http}]");
  }
  return lines.join("\n") + "\n";
}

/**
 * The default retry shape (4 attempts, Retry-After honoured) with waits cut to a few ms: every
 * delay asked for is recorded in `asked`, so a test can see that a Retry-After of 1 s was obeyed.
 */
export function recordingRetry(asked: number[], seed = 1): RetryPolicy {
  return {
    attempts: 4,
    baseMs: 250,
    maxMs: 5_000,
    maxRetryAfterMs: 60_000,
    random: prng(seed),
    sleep: (ms) => {
      asked.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
    },
    now: Date.now,
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** runCli in this process with captured output: fast, and sees exactly what a user would. */
export async function runInProcess(argv: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    env: options.env ?? {},
    cwd: options.cwd,
    colour: false,
    interactive: false,
    confirm: async () => false,
    signal: new AbortController().signal,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}


/** The built binary, to completion, without blocking this process (needed when it talks to a room served here). */
export async function runBinaryAsync(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const { code, stdout, stderr } = await finished(spawnBinary(args, cwd, env));
  return { code, stdout, stderr };
}

/** The built binary, in the background. */
export function spawnBinary(args: string[], cwd: string, env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env } });
}

/** Output and exit code of a background child once it exits. */
export function finished(child: ChildProcessWithoutNullStreams): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += String(d)));
  child.stderr.on("data", (d) => (stderr += String(d)));
  return new Promise((resolve) => child.on("close", (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })));
}

/** Resolves with everything printed so far once `pattern` has matched `count` times on stdout (rejects after `timeoutMs` or on exit). */
export function waitForOutput(child: ChildProcessWithoutNullStreams, pattern: RegExp, count = 1, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const global = new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : pattern.flags + "g");
    const timer = setTimeout(() => done(new Error(`timed out waiting for ${count}× ${pattern} in:\n${seen}`)), timeoutMs);
    const onData = (data: Buffer): void => {
      seen += String(data);
      if ((seen.match(global) ?? []).length >= count) done(null);
    };
    const onExit = (): void => done(new Error(`exited before ${count}× ${pattern}:\n${seen}`));
    const done = (error: Error | null): void => {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      if (error === null) resolve(seen);
      else reject(error);
    };
    child.stdout.on("data", onData);
    child.once("exit", onExit);
  });
}
