// The built binary (dist/cli/main.js, built by `npm test`), run as a user would run it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export interface BinaryResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built binary, to completion. */
export function runBinary(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 120_000): BinaryResult {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env["PATH"] ?? "", NO_COLOR: "1", ...env }, encoding: "utf8", timeout: timeoutMs });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
