// What watch mode follows, and what a changed path means. A path matters when it is the config
// file, or when it lies in a service's build context and packing would send it (the context's
// `.dockerignore` through the same matcher packing uses, with packing's own exceptions: the
// `.dockerignore` and the Dockerfile are always sent, `._*` never, an ignored directory hides
// everything under it). On top of packing, watch never follows `.git`, editor temp and swap files,
// meshdeploy's own state directories, or the files its output is redirected to (meshdeploy
// writes those during a cycle: following them would loop). Pure: read-scope.ts builds the scope.
import path from "node:path";
import type { IgnoreMatcher } from "../../build-context/dockerignore.js";

export interface WatchedContext {
  /** Absolute, resolved context directory. */
  root: string;
  /** The services built from it (their tags, for output). */
  services: string[];
  /** The context's `.dockerignore`; null when it has none (or it cannot be compiled: packing reports that). */
  ignore: IgnoreMatcher | null;
  /** Relative paths packing always sends: `.dockerignore` and the Dockerfile candidates. */
  preserved: string[];
}

export interface WatchScope {
  /** Absolute path of the config file (its directory resolved). */
  configFile: string;
  contexts: WatchedContext[];
  /** Absolute files and directories never followed. */
  skipPaths: string[];
  /**
   * Changes when what is watched would: the paths and rules above, not which services a context
   * builds (compare to decide whether to re-watch; a new mapping alone needs no new watcher).
   */
  key: string;
}

export interface Classified {
  config: boolean;
  /** Tags of the services whose context changed, in config order, each once. */
  services: string[];
  /** The paths that matter, in arrival order (directories end with "/"). */
  files: string[];
}

/** vim/neovim swap and write-test files, emacs backups, locks and autosaves, JetBrains, kate, gedit, Sublime. */
const EDITOR_TEMP = /(?:^\..*\.sw[a-px]$|^\..*\.swpx$|~$|^\.#|^#.*#$|^4913$|___jb_(?:tmp|old)___$|\.kate-swp$|^\.goutputstream-|^\.subl.*\.tmp$|\.crswap$)/;

const inside = (dir: string, p: string): boolean => p === dir || p.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

/** Whether a path (a directory ends with "/", or pass `isDir`) can matter; `isDir` undefined = unknown. */
export function isWatched(scope: WatchScope, absPath: string, isDir?: boolean): boolean {
  const dir = isDir ?? (absPath.endsWith("/") ? true : undefined);
  const p = absPath.length > 1 && absPath.endsWith("/") ? absPath.slice(0, -1) : absPath;
  if (p === scope.configFile) return true;
  if (scope.skipPaths.some((d) => inside(d, p))) return false;
  if (dir !== false && leadsToRoot(scope, p)) return true;
  return scope.contexts.some((c) => matters(c, p, dir));
}

/** Sorts a batch of changed paths into what it means. Paths that do not matter are dropped. */
export function classify(scope: WatchScope, paths: readonly string[]): Classified {
  let config = false;
  const hit = new Set<WatchedContext>();
  const files: string[] = [];
  for (const raw of paths) {
    const isDir = raw.endsWith("/");
    const p = isDir && raw.length > 1 ? raw.slice(0, -1) : raw;
    let relevant = false;
    if (p === scope.configFile) {
      config = true;
      relevant = true;
    }
    if (!scope.skipPaths.some((d) => inside(d, p))) {
      for (const context of scope.contexts) {
        if (matters(context, p, isDir)) {
          hit.add(context);
          relevant = true;
        }
      }
    }
    if (relevant) files.push(raw);
  }
  const services = new Set(scope.contexts.filter((c) => hit.has(c)).flatMap((c) => c.services));
  return { config, services: [...services], files };
}

/** A directory on the way to (or at) a context root or the config file's directory. */
function leadsToRoot(scope: WatchScope, p: string): boolean {
  return [...scope.contexts.map((c) => c.root), path.dirname(scope.configFile)].some((root) => inside(p, root));
}

/** Packing's rule for one context (context-files.ts `skipRule`), plus watch's own exclusions. */
function matters(context: WatchedContext, p: string, isDir: boolean | undefined): boolean {
  if (!inside(context.root, p)) return false;
  if (p === context.root) return true;
  const parts = path.relative(context.root, p).split(path.sep);
  if (parts.some((part) => part === ".git" || part.startsWith("._"))) return false;
  if (EDITOR_TEMP.test(parts[parts.length - 1]!)) return false;
  const rel = parts.join("/");
  if (context.preserved.includes(rel)) return true;
  const ignore = context.ignore;
  if (ignore === null) return true;
  // An ignored directory is never entered, so nothing below it is packed.
  for (let i = 1; i < parts.length; i += 1) {
    const ancestor = parts.slice(0, i).join("/");
    if (!leadsToPreserved(context, ancestor) && ignore(ancestor, true)) return false;
  }
  if (isDir !== false && leadsToPreserved(context, rel)) return true;
  // Unknown type: a match as a file is also a match as a directory, so "file" ignores less.
  return !ignore(rel, isDir === true);
}

function leadsToPreserved(context: WatchedContext, rel: string): boolean {
  return context.preserved.some((kept) => kept.startsWith(`${rel}/`));
}
