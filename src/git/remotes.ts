// The remotes of a git repository, read the cheap way. simple-git holds a command whose output is
// empty (no remote: `git remote -v` prints nothing) for ~55 ms, so this reads `git config --list`,
// which is never empty (~4 ms), and keeps the `remote.<name>.url` lines.
import type { gitAt } from "./git-client.js";

export interface Remote {
  name: string;
  url: string;
}

/** Remote names and URLs in config order. */
export async function remoteUrls(git: Awaited<ReturnType<typeof gitAt>>): Promise<Remote[]> {
  const text = await git.raw(["config", "--list"]);
  return text
    .split("\n")
    .map((line) => /^remote\.(.+)\.url=(.*)$/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[1]!, url: m[2]! }));
}

/** `origin`, else the first remote; null without any. */
export function mainRemote(remotes: readonly Remote[]): Remote | null {
  return remotes.find((r) => r.name === "origin") ?? remotes[0] ?? null;
}

/** Not `scheme://…` and not scp-like `[user@]host:path`: a path on this machine (git allows relative ones). */
export function isLocalPath(url: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url) && !/^(?:[^@/]+@)?[^/:]{2,}:/.test(url);
}
