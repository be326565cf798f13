// The repository as GitHub or `npm install github:…` would fetch it: every file git tracks (plus
// new files not ignored), from the work tree, without node_modules/ or dist/.
import { spawnSync } from "node:child_process";
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export async function copyRepo(into: string): Promise<void> {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO_ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter((f) => f !== "" && !/^(node_modules|dist)(\/|$)/.test(f))) {
    const from = path.join(REPO_ROOT, file);
    const to = path.join(into, file);
    await mkdir(path.dirname(to), { recursive: true });
    // A file deleted in the work tree but still in the index is not part of the checkout.
    await copyFile(from, to).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
    });
  }
}

/** npm, run with the user's cache (HOME) and preferring it, so a slow registry does not stall a test. */
export function npm(args: string[], cwd: string, timeoutMs = 180_000): { code: number; stdout: string; stderr: string } {
  const env = { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" };
  const result = spawnSync("npm", args, { cwd, env, encoding: "utf8", timeout: timeoutMs });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
