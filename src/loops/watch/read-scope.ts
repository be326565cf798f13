// DesiredState → WatchScope: resolve each build context (as packing resolves it), read and compile
// its `.dockerignore` with packing's matcher, and group services that share a context. A context
// that does not exist (yet) is kept unresolved, so its creation under a watched directory is seen;
// a `.dockerignore` that cannot be read or compiled watches everything (packing reports the error).
// Must not: walk contexts or hash anything.
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import type { DesiredState } from "../../model/desired.js";
import { createIgnoreMatcher, type IgnoreMatcher } from "../../build-context/dockerignore.js";
import type { WatchedContext, WatchScope } from "./scope.js";
import { stateDirOf } from "../../state-dir.js";

export interface ScopeOptions {
  /** Files and directories never followed besides `<config dir>/.meshdeploy` (the local room's data, output files). */
  skipPaths?: readonly string[];
}

/** The config file's path with its directory resolved (so it compares with watcher paths). */
export async function resolvedConfigPath(file: string): Promise<string> {
  return path.join(await realpathOr(path.dirname(file)), path.basename(file));
}

export async function readScope(desired: DesiredState, options: ScopeOptions = {}): Promise<WatchScope> {
  const configFile = await resolvedConfigPath(desired.file);
  const byKey = new Map<string, WatchedContext & { ignoreText: string | null }>();
  for (const service of desired.services) {
    if (service.build === null) continue;
    const root = await realpathOr(service.build.context);
    const preserved = [".dockerignore", ...(service.build.dockerfile === null ? ["Containerfile", "Dockerfile"] : [path.posix.normalize(service.build.dockerfile)])];
    const key = `${root}\n${preserved.join("\n")}`;
    const existing = byKey.get(key);
    if (existing) {
      existing.services.push(service.tag);
      continue;
    }
    const ignoreText = await readFile(path.join(root, ".dockerignore"), "utf8").catch(() => null);
    byKey.set(key, { root, services: [service.tag], ignore: compile(ignoreText), preserved, ignoreText });
  }
  const skipPaths = [stateDirOf(configFile), ...(await Promise.all((options.skipPaths ?? []).map(realpathOr)))];
  const contexts = [...byKey.values()];
  const key = JSON.stringify([configFile, skipPaths, contexts.map((c) => [c.root, c.preserved, c.ignoreText])]);
  return { configFile, contexts: contexts.map(({ ignoreText: _, ...c }) => c), skipPaths, key };
}

/**
 * The directories to hand the file watcher, without nested ones: the config's directory, each
 * context inside it (or holding it), and the PARENT of each context outside it.
 * Why the parent: chokidar drops a root that is deleted and never adds it back, as nothing above
 * it is watched; a context inside the config's directory comes back because its parent is.
 * Re-adding roots instead would hang on one event: on a config edit's rescope (no recovery until
 * an unrelated edit, and an unchanged scope rebuilds nothing), or on the root's `unlinkDir` (lost
 * if missed or coalesced, and chokidar watches a missing path's parent anyway). A watched parent
 * sees every way back (`cp -r`, `mv`, a checkout) and a context created after watch started, with
 * no state to keep. Cost: one more watch per parent; its other entries are never descended into
 * (`isWatched` keeps only the way to a root), and a change there costs one re-read of its listing
 * (chokidar throttles those to one a second). A context holding the config's directory stays its
 * own root: deleting it deletes the config as well.
 */
export function watchRoots(scope: WatchScope): string[] {
  const configDir = path.dirname(scope.configFile);
  const rootFor = (context: string): string => (within(configDir, context) || within(context, configDir) ? context : path.dirname(context));
  const all = [...new Set([configDir, ...scope.contexts.map((c) => rootFor(c.root))])].sort();
  return all.filter((root) => !all.some((other) => other !== root && within(other, root)));
}

const within = (dir: string, p: string): boolean => p === dir || p.startsWith(dir.endsWith("/") ? dir : `${dir}/`);

function compile(text: string | null): IgnoreMatcher | null {
  if (text === null) return null;
  try {
    return createIgnoreMatcher(text);
  } catch {
    return null;
  }
}

async function realpathOr(p: string): Promise<string> {
  return realpath(p).catch(() => path.resolve(p));
}
