// meshdeploy's own state directory, `.meshdeploy/` (the local room's data, contexts.json, sync
// clones). It holds a room token and local secret values, so it keeps itself out of git: the
// first time meshdeploy writes into it, it adds `.meshdeploy/.gitignore` ignoring everything —
// as a virtualenv or `.terraform/` would need a line in the user's own .gitignore otherwise.
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";

export const STATE_DIR = ".meshdeploy";

/** Writes `.gitignore` into `dir` when `dir` is a `.meshdeploy` directory without one. Never throws. */
export function ignoreStateDir(dir: string): void {
  if (path.basename(dir) !== STATE_DIR) return;
  const file = path.join(dir, ".gitignore");
  try {
    if (!existsSync(file)) writeFileSync(file, "# written by meshdeploy: its state (local room data, tokens) stays out of git\n*\n", { flag: "wx" });
  } catch {
    // Someone else wrote it first, or the directory is read-only: the state is still usable.
  }
}
