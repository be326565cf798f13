// An Io for running commands in-process (runCli) with captured output and a given environment.
import type { Io } from "../../src/cli/io.js";

export interface CapturedIo extends Io {
  stdout: string[];
  stderr: string[];
  /** Everything printed, stdout then stderr, one string. */
  all(): string;
}

export function captureIo(cwd: string, env: Record<string, string | undefined> = {}, signal: AbortSignal = new AbortController().signal): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    env,
    cwd,
    colour: false,
    interactive: false,
    confirm: async () => false,
    signal,
    all: () => [...stdout, ...stderr].join("\n"),
  };
}
