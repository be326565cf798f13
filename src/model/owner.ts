// The owner scope: the value of `meshdeploy.owner` on every service a config manages, and the
// only thing prune trusts. Written as `owner:`, or derived from the git remote and the config's
// path in the repository so that a developer checkout, a CI checkout and `sync` of the same
// repository and path agree, and two repositories (or two configs of one) never do. Outside a git
// repository with a remote, the config directory's name stands in for plan and apply only:
// prune refuses it (two `deploy/` directories would share it). Pure.
import { sha256Hex } from "./stable-json.js";

/** Same as `properties.owner.pattern` in schemas/meshdeploy.schema.json (a test keeps them equal). */
export const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Where the owner came from. */
export type OwnerSource =
  | { type: "config" }
  /** `remote`: normalised (no credentials, scheme, port or `.git`); `path`: the config inside the repository. */
  | { type: "git"; remote: string; path: string }
  /** No git remote: the config directory's name (prune refuses it). */
  | { type: "directory"; directory: string };

export interface DefaultOwner {
  owner: string;
  source: Exclude<OwnerSource, { type: "config" }>;
}

/** Hosts whose repository paths are case-insensitive (github.com/Acme/Shop is github.com/acme/shop). */
const CASE_INSENSITIVE_HOSTS = new Set(["github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "dev.azure.com", "ssh.dev.azure.com"]);

/**
 * One spelling for every way of writing a remote: `https://user:token@GitHub.com/acme/shop.git/`,
 * `ssh://git@github.com:22/acme/shop`, `git@github.com:acme/shop.git` → `github.com/acme/shop`;
 * `file:///srv/git/shop.git` and `/srv/git/shop` → `/srv/git/shop`. A relative local path must be
 * resolved by the caller first (it has the directory it is relative to).
 */
export function normaliseRemote(url: string): string {
  const trimmed = url.trim();
  let host = "";
  let repoPath: string;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(trimmed);
  const scp = /^(?:[^@/]+@)?([^/:]+):(?!\/\/)(.*)$/.exec(trimmed);
  if (scheme !== null) {
    const rest = scheme[2]!;
    const slash = rest.indexOf("/");
    const authority = slash === -1 ? rest : rest.slice(0, slash);
    repoPath = slash === -1 ? "/" : rest.slice(slash);
    // userinfo@host:port → host (a password never survives; nor a port, which differs by protocol).
    host = authority.slice(authority.lastIndexOf("@") + 1).replace(/:\d*$/, "").toLowerCase();
    repoPath = repoPath.replace(/[?#].*$/, "");
  } else if (scp !== null && !/^[A-Za-z]$/.test(scp[1]!)) {
    host = scp[1]!.toLowerCase();
    repoPath = `/${scp[2]!}`;
  } else {
    repoPath = trimmed;
  }
  repoPath = repoPath.replace(/\/{2,}/g, "/");
  for (let previous = ""; previous !== repoPath; ) {
    previous = repoPath;
    repoPath = repoPath.replace(/\/+$/, "").replace(/\.git$/i, "");
  }
  if (CASE_INSENSITIVE_HOSTS.has(host)) repoPath = repoPath.toLowerCase();
  return host === "" ? repoPath : `${host}${repoPath}`;
}

const HASH_LENGTH = 12;
const SLUG_LENGTH = 63 - 1 - HASH_LENGTH;

/**
 * `<repository>[-<config dir>]-<12 hex>`: readable, within the annotation rules, and a hash of
 * the normalised remote and the config's repository path (so two configs never share one).
 */
export function gitOwner(remote: string, repoPath: string): string {
  const hash = sha256Hex(`${remote}\n${repoPath}`).slice(0, HASH_LENGTH);
  const repository = remote.split("/").filter(Boolean).pop() ?? "";
  const dirs = repoPath.split("/").slice(0, -1);
  const words = [repository, ...(dirs.length > 0 ? [dirs[dirs.length - 1]!] : [])];
  const slug = words
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, SLUG_LENGTH)
    .replace(/[^a-z0-9]+$/, "");
  return `${slug === "" ? "repo" : slug}-${hash}`;
}

/**
 * For headers: a written owner as it is (`shop`); a default with where it came from
 * (`shop-deploy-1a2b3c4d5e6f (from git github.com/acme/shop, deploy/.meshdeploy.yaml)`).
 */
export function describeOwner(owner: string, source: OwnerSource | undefined): string {
  switch (source?.type) {
    case undefined:
    case "config":
      return owner;
    case "git":
      return `${owner} (from git ${source.remote}, ${source.path})`;
    case "directory":
      return `${owner} (the directory name: no git remote; prune needs an explicit owner:)`;
  }
}

/**
 * Each environment is its own owner scope, `<owner>.<environment>`, so prune in one environment
 * never sees another's services; null when that is longer than an owner may be.
 */
export function ownerForEnvironment(owner: string, environment: string): string | null {
  const scoped = `${owner}.${environment}`;
  return scoped.length <= 63 ? scoped : null;
}

/**
 * The default owner of an environment: a git-derived one keeps its hash and shortens its slug to
 * make room for `.<environment>`; the directory name (which prune refuses anyway) is cut to fit.
 */
export function defaultOwnerForEnvironment(defaults: DefaultOwner, environment: string): DefaultOwner {
  const suffix = `.${environment}`;
  const room = 63 - suffix.length;
  if (defaults.owner.length <= room) return { ...defaults, owner: `${defaults.owner}${suffix}` };
  if (defaults.source.type === "git") {
    const hash = defaults.owner.slice(-HASH_LENGTH);
    const slug = defaults.owner.slice(0, -HASH_LENGTH - 1).slice(0, room - HASH_LENGTH - 1).replace(/[^a-z0-9]+$/, "");
    return { ...defaults, owner: `${slug === "" ? "repo" : slug}-${hash}${suffix}` };
  }
  return { ...defaults, owner: `${defaults.owner.slice(0, room)}${suffix}` };
}
