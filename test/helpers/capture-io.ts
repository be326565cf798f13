// An Io for running commands in-process (runCli) with captured output and a given environment,
// and runCli itself run that way.
import type { Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/run.js";
import type { CliResult } from "./binary.js";

export interface CapturedIo extends Io {
  stdout: string[];
  stderr: string[];
  /** Everything printed, stdout then stderr, one string. */
  all(): string;
}

export function captureIo(cwd: string, env: Record<string, string | undefined> = {}, signal: AbortSignal = new AbortController().signal, stdin?: string): CapturedIo {
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
    ...(stdin === undefined ? {} : { stdinIsTerminal: false, readStdin: async () => Buffer.from(stdin) }),
    all: () => [...stdout, ...stderr].join("\n"),
  };
}

/** runCli in this process with captured output: fast, and sees exactly what a user would. */
export async function runInProcess(argv: string[], options: { cwd: string; env?: Record<string, string>; stdin?: string }): Promise<CliResult> {
  const io = captureIo(options.cwd, options.env ?? {}, undefined, options.stdin);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout.join("\n"), stderr: io.stderr.join("\n") };
}
