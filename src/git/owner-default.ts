// The default owner of a config without `owner:` (model/owner.ts says why it is what it is): read
// from the git repository the config is in — its main remote (origin, else the first), normalised,
// and the config's path inside the repository. Without git, a repository or a remote, the config
// directory's name, marked as such so prune can refuse it. Never fails: git trouble means the
// directory fallback, never a different git-derived owner.
import { realpath } from "node:fs/promises";
import path from "node:path";
import { gitAt } from "./git-client.js";
import { stripCredentials } from "./strip-credentials.js";
import { isLocalPath, mainRemote, remoteUrls } from "./remotes.js";
import { gitOwner, normaliseRemote, type DefaultOwner } from "../model/owner.js";

/** The directory-name fallback (what meshdeploy used before git-derived owners). */
export function directoryOwner(configFile: string): DefaultOwner {
  const directory = path.basename(path.dirname(path.resolve(configFile)));
  return { owner: directory, source: { type: "directory", directory } };
}

/** The default owner of the config file at `configFile`. */
export async function readDefaultOwner(configFile: string): Promise<DefaultOwner> {
  const file = await realpath(configFile).catch(() => path.resolve(configFile));
  try {
    const root = (await (await gitAt(path.dirname(file))).revparse(["--show-toplevel"])).trim();
    if (root === "") return directoryOwner(configFile);
    return (await ownerInRepository(root, path.relative(root, file).split(path.sep).join("/"))) ?? directoryOwner(configFile);
  } catch {
    return directoryOwner(configFile);
  }
}

/**
 * The git-derived owner of the config at `repoPath` (POSIX, relative) in the work tree `root`;
 * null when the repository has no remote. `sync` calls it on its clone before checking a commit
 * out, so the file need not exist yet.
 */
export async function ownerInRepository(root: string, repoPath: string): Promise<DefaultOwner | null> {
  const remote = mainRemote(await remoteUrls(await gitAt(root)));
  if (remote === null) return null;
  // stripCredentials first: its URL parser also drops a userinfo that normalising alone might misread.
  const normalised = normaliseRemote(isLocalPath(remote.url) ? path.resolve(root, remote.url) : stripCredentials(remote.url));
  return { owner: gitOwner(normalised, repoPath), source: { type: "git", remote: normalised, path: repoPath } };
}
