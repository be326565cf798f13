// The `.dockerignore` matcher exactly as the MeshAgent 0.39.9 CLI applies it (cli@0.39.9
// oci_archive.py `DockerIgnore` + `_should_skip_path`): every line compiled by pathspec's
// "gitwildmatch" factory, the last matching line wins (a `!` line un-ignores), and a directory is
// tested both as `dir` and as `dir/`. Pure: must not read files, and knows nothing about the
// `.dockerignore`/Dockerfile preservation or `._*` rules (context-files.ts owns those).
//
// These are gitignore semantics, which is what the CLI packs with; they differ from Docker's own
// `.dockerignore` rules: `*.log` or `node_modules` (no slash) match at any depth here, and a line
// can only un-ignore a path whose parent directory was not itself ignored (the walk prunes
// ignored directories). BuildKit re-applies Docker's rules server-side to what was shipped.
import { BuildContextError } from "./build-error.js";
import { compileIgnoreLine, IgnorePatternError, type CompiledPattern } from "./gitwildmatch.js";
import { pySplitlines } from "./python-text.js";

/** True when the context path (relative, POSIX, no trailing slash) is ignored. */
export type IgnoreMatcher = (relPath: string, isDir: boolean) => boolean;

/**
 * Compile `.dockerignore` text. Lines are split as Python's `str.splitlines()` does; a line
 * pathspec refuses (a lone `!`, a trailing lone backslash, a reversed range such as `[z-a]`)
 * throws a BuildContextError naming the line.
 */
export function createIgnoreMatcher(text: string): IgnoreMatcher {
  const patterns: CompiledPattern[] = [];
  for (const [index, line] of pySplitlines(text).entries()) {
    let compiled: CompiledPattern | null;
    try {
      compiled = compileIgnoreLine(line);
    } catch (error) {
      const detail = error instanceof IgnorePatternError || error instanceof SyntaxError ? error.message : String(error);
      throw new BuildContextError("dockerignore", `.dockerignore line ${index + 1}: ${detail}`, {
        hint: "Fix or remove that line; `meshagent build` fails on it too.",
        cause: error,
      });
    }
    if (compiled !== null) patterns.push(compiled);
  }
  patterns.reverse(); // the last matching line decides, so test from the end
  const matches = (path: string): boolean => {
    for (const pattern of patterns) {
      if (pattern.regex.test(path)) return pattern.include;
    }
    return false;
  };
  return (relPath, isDir) => matches(normalizeFile(relPath)) || (isDir && matches(normalizeFile(`${relPath}/`)));
}

/** pathspec's `normalize_file` on POSIX: drop one leading "/" or "./". */
function normalizeFile(path: string): string {
  if (path.startsWith("/")) return path.slice(1);
  if (path.startsWith("./")) return path.slice(2);
  return path;
}
