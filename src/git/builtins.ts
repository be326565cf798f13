// The built-in interpolation variables GIT_SHA, GIT_SHORT_SHA and GIT_BRANCH, read from the git
// tree a config file is in. When git cannot tell (no repository, no commit, a detached HEAD) the
// variable carries the reason, so `${GIT_BRANCH}` fails with an error that says why.
import type { BuiltinValue } from "../model/builtin-value.js";
import { gitAt, isGitMissing } from "./git-client.js";

export type GitHead = { root: string; sha: string; branch: string | null } | { unavailable: string };

/** Short SHAs are always 7 characters, so an image tag built from one never changes length as a repository grows. */
export const SHORT_SHA_LENGTH = 7;

export async function readGitHead(dir: string): Promise<GitHead> {
  const git = gitAt(dir);
  // Three independent questions, asked at once (each git process costs ~15-25 ms to start).
  const [top, sha, branch] = await Promise.all([
    git.revparse(["--show-toplevel"]).then((s) => ({ root: s.trim() }), (error: unknown) => ({ error })),
    // `--quiet`: an unborn HEAD fails without output, which simple-git reports as empty text.
    git.raw(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).then((s) => s.trim(), () => ""),
    git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).then((b) => b.trim() || null, () => null),
  ]);
  if ("error" in top) return { unavailable: isGitMissing(top.error) ? "git is not installed (or not on PATH)" : `${dir} is not inside a git work tree` };
  if (sha === "") return { unavailable: `the git repository at ${top.root} has no commit yet` };
  return { root: top.root, sha, branch };
}

/** GIT_SHA / GIT_SHORT_SHA / GIT_BRANCH for interpolation. Pure. */
export function gitBuiltins(head: GitHead): Record<string, BuiltinValue> {
  if ("unavailable" in head) {
    const missing = { unavailable: head.unavailable };
    return { GIT_SHA: missing, GIT_SHORT_SHA: missing, GIT_BRANCH: missing };
  }
  return {
    GIT_SHA: { value: head.sha },
    GIT_SHORT_SHA: { value: head.sha.slice(0, SHORT_SHA_LENGTH) },
    GIT_BRANCH: head.branch === null ? { unavailable: "HEAD is detached (no branch is checked out; CI checkouts often are)" } : { value: head.branch },
  };
}

/** Cheap test before running git at all: does the text refer to a built-in? */
export function mentionsGitBuiltin(text: string): boolean {
  return text.includes("${GIT_");
}
