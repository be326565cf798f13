// The built binary (dist/cli/main.js, built by `npm test`), run as a user would run it: to
// completion, in the background, and waiting for a line of its output.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built binary, to completion. */
export function runBinary(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 120_000): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env }, encoding: "utf8", timeout: timeoutMs });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
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
