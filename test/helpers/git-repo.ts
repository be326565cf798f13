// Throwaway git repositories for tests: a work tree with a committer identity, and bare
// repositories reached through file:// URLs (loopback only, no network).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";

export interface TestRepo {
  dir: string;
  git: SimpleGit;
  /** Writes files (relative path → text) and commits them; returns the new commit's sha. */
  commit(files: Record<string, string>, message: string): Promise<string>;
}

export async function initRepo(dir: string, options: { bare?: boolean } = {}): Promise<TestRepo> {
  await mkdir(dir, { recursive: true });
  const git = simpleGit({ baseDir: dir });
  await git.raw(["init", "--quiet", "--initial-branch=main", ...(options.bare ? ["--bare"] : [])]);
  if (!options.bare) {
    await git.addConfig("user.name", "Test");
    await git.addConfig("user.email", "test@example.com");
    await git.addConfig("commit.gpgsign", "false");
  }
  return {
    dir,
    git,
    async commit(files, message) {
      for (const [file, text] of Object.entries(files)) {
        await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
        await writeFile(path.join(dir, file), text);
      }
      await git.add(Object.keys(files));
      await git.commit(message);
      return (await git.revparse(["HEAD"])).trim();
    },
  };
}
