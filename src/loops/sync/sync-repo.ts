// The clone `sync` follows: cloned once into a cache directory (no checkout), fetched every cycle,
// and checked out (detached, cleaned) only at a commit whose config is valid, so the work tree
// always holds the last good state. A config is read straight from a commit before it is checked
// out. Failures are E_SYNC errors with git's own message (the URL shown without credentials).
// Credentials in the URL never reach the clone or git's argv (git/remote-auth.ts); a clone made
// before that, whose stored remote still holds them, is cleaned on first use.
import { mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { MeshdeployError } from "../../errors.js";
import { gitAt, gitMessage } from "../../git/git-client.js";
import { hasUserinfo, remoteAuth, type RemoteAuth } from "../../git/remote-auth.js";
import { stripCredentials } from "../../git/strip-credentials.js";
import { STATE_DIR } from "../../state-dir.js";

export interface Commit {
  sha: string;
  subject: string;
}

/** What the sync loop needs from a repository (tests may substitute their own). */
export interface FollowedRepo {
  /** The work tree (configs and build contexts are read from here). */
  readonly dir: string;
  /** The branch followed (known after the first fetch when no ref was given). */
  branch(): string | null;
  /** Clone when needed, fetch, and return the commit the ref points at. */
  fetch(): Promise<Commit>;
  /** A file's text at a commit; null when the commit has no such file. */
  readFile(sha: string, file: string): Promise<string | null>;
  checkout(sha: string): Promise<void>;
  /** The commit a previous run checked out (the last good state it kept), or null. */
  checkedOut(): Promise<Commit | null>;
  /**
   * Un-marks the checked-out commit as a good state (it was checked out, then refused, and there
   * is no earlier good one to go back to), so a restarted sync does not resume it.
   */
  forget?(): Promise<void>;
}

export interface SyncRepoOptions {
  url: string;
  /** Branch (or tag) to follow; null: the remote's default branch. */
  ref: string | null;
  dir: string;
  signal?: AbortSignal;
}

export class SyncRepo implements FollowedRepo {
  readonly dir: string;
  readonly #url: string;
  readonly #auth: RemoteAuth;
  readonly #ref: string | null;
  readonly #signal: AbortSignal | undefined;
  #branch: string | null;
  #remoteChecked = false;

  constructor(options: SyncRepoOptions) {
    this.dir = options.dir;
    this.#url = options.url;
    this.#auth = remoteAuth(options.url, process.env);
    this.#ref = options.ref;
    this.#branch = options.ref;
    this.#signal = options.signal;
  }

  branch(): string | null {
    return this.#branch;
  }

  async fetch(): Promise<Commit> {
    const git = await this.#git();
    try {
      await git.raw(["fetch", "--quiet", "--prune", "--tags", "--force", "origin"]);
    } catch (error) {
      throw this.#error(`fetching ${stripCredentials(this.#url)} failed: ${gitMessage(error)}`, error);
    }
    const ref = this.#ref ?? (await this.#defaultBranch(git));
    this.#branch = ref;
    const sha = await this.#resolve(git, ref);
    const subject = (await git.raw(["log", "-1", "--format=%s", sha])).trim();
    return { sha, subject };
  }

  async readFile(sha: string, file: string): Promise<string | null> {
    const git = await this.#git();
    try {
      return await git.raw(["cat-file", "blob", `${sha}:${file}`]);
    } catch (error) {
      if (/does not exist|exists on disk, but not in|not a valid object name|bad file|Not a valid object/i.test(gitMessage(error))) return null;
      throw this.#error(`reading ${file} at ${sha.slice(0, 7)} failed: ${gitMessage(error)}`, error);
    }
  }

  async checkout(sha: string): Promise<void> {
    const git = await this.#git();
    try {
      await git.raw(["checkout", "--quiet", "--force", "--detach", sha]);
      // meshdeploy's own state (.meshdeploy/contexts.json) survives; anything else not in the commit goes.
      await git.raw(["clean", "-ffdxq", "-e", STATE_DIR]);
    } catch (error) {
      throw this.#error(`checking out ${sha.slice(0, 7)} in ${this.dir} failed: ${gitMessage(error)}`, error);
    }
  }

  async forget(): Promise<void> {
    if (!(await isClone(this.dir))) return;
    // HEAD on an unborn branch: checkedOut() sees a branch, so nothing is resumed; the next checkout detaches again.
    await (await gitAt(this.dir, this.#options())).raw(["symbolic-ref", "HEAD", "refs/heads/meshdeploy-no-good-commit"]).catch(() => {});
  }

  async checkedOut(): Promise<Commit | null> {
    if (!(await isClone(this.dir))) return null;
    const git = await gitAt(this.dir, this.#options());
    // Only sync's own checkouts are detached; a fresh `clone --no-checkout` has HEAD on a branch.
    const branch = await git.raw(["symbolic-ref", "--quiet", "HEAD"]).then((b) => b.trim(), () => "");
    if (branch !== "") return null;
    const sha = await git.raw(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).then((s) => s.trim(), () => "");
    if (sha === "") return null;
    const subject = await git.raw(["log", "-1", "--format=%s", sha]).then((s) => s.trim(), () => "");
    return { sha, subject };
  }

  async #git(): Promise<Awaited<ReturnType<typeof gitAt>>> {
    if (await isClone(this.dir)) {
      const git = await gitAt(this.dir, this.#options());
      await this.#cleanStoredRemote(git);
      return git;
    }
    const entries = await readdir(this.dir).catch(() => null);
    if (entries !== null && entries.length > 0) {
      throw this.#error(`the sync cache ${this.dir} exists but is not a git clone`, null, "delete that directory and run sync again");
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    try {
      await (await gitAt(path.dirname(this.dir), this.#options())).clone(this.#auth.url, this.dir, ["--quiet", "--no-checkout"]);
    } catch (error) {
      // A failed clone leaves no empty (or half-written) cache directory behind.
      await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
      throw this.#error(`cloning ${stripCredentials(this.#url)} failed: ${gitMessage(error)}`, error);
    }
    return gitAt(this.dir, this.#options());
  }

  #options(): { signal?: AbortSignal; env: Record<string, string> } {
    return { env: this.#auth.env, ...(this.#signal === undefined ? {} : { signal: this.#signal }) };
  }

  /** A clone made by an older meshdeploy stored the URL with its credentials: store it without. */
  async #cleanStoredRemote(git: Awaited<ReturnType<typeof gitAt>>): Promise<void> {
    if (this.#remoteChecked) return;
    this.#remoteChecked = true;
    const stored = (await git.raw(["config", "--get", "remote.origin.url"]).catch(() => "")).trim();
    if (stored === "" || !hasUserinfo(stored)) return;
    try {
      await git.raw(["remote", "set-url", "origin", remoteAuth(stored).url]);
    } catch (error) {
      throw this.#error(`could not remove the credentials stored in ${path.join(this.dir, ".git", "config")}: ${gitMessage(error)}`, error, "delete that clone and run sync again");
    }
  }

  async #defaultBranch(git: Awaited<ReturnType<typeof gitAt>>): Promise<string> {
    try {
      return (await git.raw(["rev-parse", "--abbrev-ref", "origin/HEAD"])).trim().replace(/^origin\//, "");
    } catch (error) {
      throw this.#error(`${stripCredentials(this.#url)} has no default branch: ${gitMessage(error)}`, error, "name the branch to follow with --ref BRANCH");
    }
  }

  async #resolve(git: Awaited<ReturnType<typeof gitAt>>, ref: string): Promise<string> {
    for (const candidate of [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`]) {
      const sha = await git.raw(["rev-parse", "--verify", "--quiet", `${candidate}^{commit}`]).then((s) => s.trim(), () => "");
      if (sha !== "") return sha;
    }
    throw this.#error(`${stripCredentials(this.#url)} has no branch or tag "${ref}"`, null, "check --ref");
  }

  #error(message: string, cause: unknown, hint?: string): MeshdeployError {
    return new MeshdeployError("E_SYNC", message, { ...(hint === undefined ? {} : { hint }), ...(cause === null ? {} : { cause }) });
  }
}

async function isClone(dir: string): Promise<boolean> {
  const entries = await readdir(path.join(dir, ".git")).catch(() => null);
  return entries !== null;
}
