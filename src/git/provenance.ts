// Reads provenance for a config file from its git tree: HEAD's commit, whether the work tree has
// uncommitted changes (and which files), and where the file lives (remote URL without credentials,
// repo-relative path). Paths under a `.meshdeploy/` directory are meshdeploy's own state and never
// make a tree dirty.
import { realpath } from "node:fs/promises";
import path from "node:path";
import type { Provenance } from "../model/provenance.js";
import { readGitHead } from "./builtins.js";
import { gitAt, gitMessage } from "./git-client.js";
import { mainRemote, remoteUrls, type Remote } from "./remotes.js";
import { stripCredentials } from "./strip-credentials.js";
import { STATE_DIR } from "../state-dir.js";

export interface GitProvenance extends Provenance {
  root: string;
  /** `XY path` lines as `git status --porcelain` prints them. */
  dirtyFiles: string[];
}

export type ProvenanceResult = { ok: true; provenance: GitProvenance } | { ok: false; reason: string };

export async function readProvenance(configFile: string): Promise<ProvenanceResult> {
  const file = await realpath(configFile).catch(() => path.resolve(configFile));
  // Its own `git status` below lists the dirty files: readGitHead need not ask for it too.
  const head = await readGitHead(path.dirname(file), { status: false });
  if ("unavailable" in head) return { ok: false, reason: head.unavailable };
  const git = await gitAt(head.root);
  let status: Awaited<ReturnType<typeof git.status>>;
  let remotes: Remote[];
  try {
    [status, remotes] = await Promise.all([git.status(["--untracked-files=normal"]), remoteUrls(git)]);
  } catch (error) {
    return { ok: false, reason: `git status failed in ${head.root}: ${gitMessage(error)}` };
  }
  const dirtyFiles = status.files
    .filter((f) => !f.path.split("/").includes(STATE_DIR))
    .map((f) => `${f.index}${f.working_dir} ${f.path}`)
    .sort();
  const remote = mainRemote(remotes);
  const relative = path.relative(head.root, file).split(path.sep).join("/");
  const remoteUrl = remote ? stripCredentials(remote.url) : null;
  return {
    ok: true,
    provenance: {
      root: head.root,
      gitSha: head.sha,
      gitDirty: dirtyFiles.length > 0,
      dirtyFiles,
      source: remoteUrl === null ? relative : `${remoteUrl}#${relative}`,
    },
  };
}

/** The plan's view: plain data without the work-tree details. */
export function planProvenance(p: GitProvenance): Provenance {
  return { gitSha: p.gitSha, gitDirty: p.gitDirty, source: p.source };
}
