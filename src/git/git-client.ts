// The one way meshdeploy runs git: simple-git in a directory. simple-git strips GIT_* variables
// from git's environment by default; the few that choose how git authenticates are let through so
// `sync` can use an ssh key or askpass helper the way plain git would.
import { simpleGit, type SimpleGit } from "simple-git";
import { stripCredentials } from "./strip-credentials.js";

const ALLOWED_ENVIRONMENT = ["GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_TERMINAL_PROMPT"];

/** Throws when `dir` does not exist (simple-git refuses it). */
export function gitAt(dir: string, options: { signal?: AbortSignal } = {}): SimpleGit {
  return simpleGit({
    baseDir: dir,
    maxConcurrentProcesses: 4,
    allowEnvironment: ALLOWED_ENVIRONMENT,
    ...(options.signal === undefined ? {} : { abort: options.signal }),
  });
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
