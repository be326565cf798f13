// The built-in interpolation variables GIT_SHA, GIT_SHORT_SHA, GIT_BRANCH and GIT_BRANCH_SLUG,
// read from the git tree a config file is in. When git cannot tell (no repository, no commit, a
// detached HEAD) the variable carries the reason, so `${GIT_BRANCH}` fails with an error that says
// why. A tree with uncommitted changes gets `-dirty` on both shas (as Skaffold's git tagger does):
// an image tag must not claim a commit that lacks the code it was built from.
import type { BuiltinValue } from "../model/builtin-value.js";
import { gitAt, isGitMissing } from "./git-client.js";

export type GitHead = { root: string; sha: string; branch: string | null; dirty?: boolean } | { unavailable: string };

/** What a dirty tree's shas get appended. */
export const DIRTY_SUFFIX = "-dirty";

/** Short SHAs are always 7 characters, so an image tag built from one never changes length as a repository grows. */
export const SHORT_SHA_LENGTH = 7;

/** `status: false`: the caller runs its own `git status` (provenance), so `dirty` is left out rather than asked twice. */
export async function readGitHead(dir: string, options: { status?: boolean } = {}): Promise<GitHead> {
  const git = await gitAt(dir);
  // Independent questions, asked at once (each git process costs ~15-25 ms to start).
  const [top, sha, branch, status] = await Promise.all([
    git.revparse(["--show-toplevel"]).then((s) => ({ root: s.trim() }), (error: unknown) => ({ error })),
    // `--quiet`: an unborn HEAD fails without output, which simple-git reports as empty text.
    git.raw(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).then((s) => s.trim(), () => ""),
    git.raw(["symbolic-ref", "--quiet", "--short", "HEAD"]).then((b) => b.trim() || null, () => null),
    // Ignored files (meshdeploy's own `.meshdeploy/`) do not count, as for provenance.
    options.status === false ? Promise.resolve(null) : git.raw(["status", "--porcelain", "--untracked-files=normal"]).then((s) => s.trim(), () => ""),
  ]);
  if ("error" in top) return { unavailable: isGitMissing(top.error) ? "git is not installed (or not on PATH)" : `${dir} is not inside a git work tree` };
  if (sha === "") return { unavailable: `the git repository at ${top.root} has no commit yet` };
  return { root: top.root, sha, branch, ...(status === null ? {} : { dirty: status !== "" }) };
}

/** The longest slug (GitLab's CI_COMMIT_REF_SLUG rule: 63 characters, a DNS label's length). */
const SLUG_MAX = 63;

/**
 * A branch name as a valid image-tag component: lower case, every run of characters other than
 * a-z and 0-9 one `-`, no `-` at either end, at most 63 characters (`feature/Login_v2` →
 * `feature-login-v2`). Empty for a name with no letter or digit. Pure.
 */
export function branchSlug(branch: string): string {
  return branch.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+/, "").slice(0, SLUG_MAX).replace(/-+$/, "");
}

/**
 * GIT_SHA / GIT_SHORT_SHA / GIT_BRANCH / GIT_BRANCH_SLUG for interpolation. A `GIT_*` variable set
 * in `env` wins over git (CI systems know the commit and branch a detached checkout lacks); the
 * slug follows GIT_BRANCH wherever that came from. Pure.
 */
export function gitBuiltins(head: GitHead, env: Readonly<Record<string, string | undefined>> = {}): Record<string, BuiltinValue> {
  const fromEnv = (name: string): BuiltinValue | null => (env[name] === undefined ? null : { value: env[name] });
  const suffix = !("unavailable" in head) && head.dirty === true ? DIRTY_SUFFIX : "";
  const git: Record<string, BuiltinValue> =
    "unavailable" in head
      ? { GIT_SHA: { unavailable: head.unavailable }, GIT_SHORT_SHA: { unavailable: head.unavailable }, GIT_BRANCH: { unavailable: head.unavailable } }
      : {
          GIT_SHA: { value: `${head.sha}${suffix}` },
          GIT_SHORT_SHA: { value: `${head.sha.slice(0, SHORT_SHA_LENGTH)}${suffix}` },
          GIT_BRANCH: head.branch === null ? { unavailable: "HEAD is detached (no branch is checked out; CI checkouts often are)" } : { value: head.branch },
        };
  const out: Record<string, BuiltinValue> = {};
  for (const name of ["GIT_SHA", "GIT_SHORT_SHA", "GIT_BRANCH"]) out[name] = fromEnv(name) ?? git[name]!;
  const branch = out["GIT_BRANCH"]!;
  const slug = "value" in branch ? branchSlug(branch.value) : null;
  out["GIT_BRANCH_SLUG"] =
    fromEnv("GIT_BRANCH_SLUG") ??
    ("unavailable" in branch ? branch : slug === "" ? { unavailable: `the branch name "${"value" in branch ? branch.value : ""}" has no letter or digit` } : { value: slug! });
  return out;
}

/** Cheap test before running git at all: does the text refer to a built-in? */
export function mentionsGitBuiltin(text: string): boolean {
  return text.includes("${GIT_");
}
