// meshdeploy's own state directory, `.meshdeploy/` (the local room's data, contexts.json, sync
// clones). It holds a room token and local secret values, so it keeps itself out of git: whoever
// first writes into it adds `.meshdeploy/.gitignore` ignoring everything — as `.terraform/` would
// otherwise need a line in the user's own .gitignore. It is private (0700): other local users
// have no business reading a room token or a sync clone.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const STATE_DIR = ".meshdeploy";

/** `.meshdeploy` beside a config file: what no build context and no watcher ever includes. */
export function stateDirOf(configFile: string): string {
  return path.join(path.dirname(configFile), STATE_DIR);
}

/**
 * Call before writing into `dir`, a `.meshdeploy` directory or one inside it: creates that
 * `.meshdeploy` directory (0700, and tightens an existing one) and its `.gitignore` when missing.
 * Never throws (the write that follows reports a directory it cannot use).
 */
export function ignoreStateDir(dir: string): void {
  const parts = path.resolve(dir).split(path.sep);
  const at = parts.lastIndexOf(STATE_DIR);
  if (at < 0) return;
  const root = parts.slice(0, at + 1).join(path.sep) || path.sep;
  const file = path.join(root, ".gitignore");
  try {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    chmodSync(root, 0o700);
  } catch {
    // Not ours to change, or not writable: the write that follows says so.
  }
  try {
    if (existsSync(file)) return;
    writeFileSync(file, "# written by meshdeploy: its state (local room data, tokens) stays out of git\n*\n", { flag: "wx" });
  } catch {
    // Someone else wrote it first, or the directory is not writable.
  }
}
