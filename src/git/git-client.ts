// The one way meshdeploy runs git: simple-git in a directory. simple-git strips GIT_* variables
// from git's environment by default; the few that choose how git authenticates are let through so
// `sync` can use an ssh key or askpass helper the way plain git would.
import type { SimpleGit } from "simple-git";
import { stripCredentials } from "./strip-credentials.js";

const ALLOWED_ENVIRONMENT = ["GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_TERMINAL_PROMPT", "GIT_CONFIG_COUNT"];

/** simple-git (about 25 modules) loads on the first git call, not with every command that might make one. */
let simpleGitModule: Promise<typeof import("simple-git")> | undefined;

/**
 * Rejects when `dir` does not exist (simple-git refuses it). `env` is added to git's environment:
 * how a remote's credential reaches git without argv or a file (remote-auth.ts).
 */
export async function gitAt(dir: string, options: { signal?: AbortSignal; env?: Record<string, string> } = {}): Promise<SimpleGit> {
  const { simpleGit } = await (simpleGitModule ??= import("simple-git"));
  const extra = options.env ?? {};
  const git = simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 4,
    allowEnvironment: [...ALLOWED_ENVIRONMENT, ...Object.keys(extra).filter((name) => name.startsWith("GIT_CONFIG_"))],
    // Our own GIT_CONFIG_* (an http.<origin>.extraHeader); simple-git still block-lists dangerous keys.
    ...("GIT_CONFIG_COUNT" in extra ? { unsafe: { allowUnsafeConfigEnvCount: true } } : {}),
    ...(options.signal === undefined ? {} : { abort: options.signal }),
  });
  return Object.keys(extra).length === 0 ? git : git.env({ ...unguarded(process.env), ...extra });
}

/**
 * The environment simple-git would hand git anyway: variables it guards (GIT_*, EDITOR, PAGER, …)
 * are dropped, as it drops them from the ambient environment (set explicitly, it refuses them).
 * GIT_TERMINAL_PROMPT stays.
 */
function unguarded(env: NodeJS.ProcessEnv): Record<string, string> {
  const guarded = /^(git_|editor$|visual$|pager$|prefix$|ssh_askpass$)/i;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (!guarded.test(name) || name === "GIT_TERMINAL_PROMPT")) kept[name] = value;
  }
  return kept;
}

/** The useful line of a git failure (git prints `fatal: …` last). */
export function gitMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => l.startsWith("fatal:"))?.replace(/^fatal:\s*/, "") ?? lines[0] ?? "git failed";
  // git strips user:password from the URLs it prints, but not a query (`?access_token=…`).
  return line.replace(/[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s'"]+/g, (url) => stripCredentials(url));
}

/** git itself could not be started (not installed, not on PATH). */
export function isGitMissing(error: unknown): boolean {
  return /ENOENT|spawn git/i.test(error instanceof Error ? error.message : String(error));
}
