// DesiredState → WatchScope: resolve each build context (as packing resolves it), read and compile
// its `.dockerignore` with packing's matcher, and group services that share a context. A context
// that does not exist (yet) is kept unresolved, so its creation under a watched directory is seen;
// a `.dockerignore` that cannot be read or compiled watches everything (packing reports the error).
// Must not: walk contexts or hash anything.
import { readFile, realpath } from "node:fs/promises";
import path from "node:path";
import type { DesiredState } from "../config/desired.js";
import { createIgnoreMatcher, type IgnoreMatcher } from "../build/dockerignore.js";
import type { WatchedContext, WatchScope } from "./scope.js";

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
  const skipPaths = [path.join(path.dirname(configFile), ".meshdeploy"), ...(await Promise.all((options.skipPaths ?? []).map(realpathOr)))];
  const contexts = [...byKey.values()];
  const key = JSON.stringify([configFile, skipPaths, contexts.map((c) => [c.root, c.preserved, c.ignoreText])]);
  return { configFile, contexts: contexts.map(({ ignoreText: _, ...c }) => c), skipPaths, key };
}

/** The directories to hand the file watcher: the config's and each context, without nested ones. */
export function watchRoots(scope: WatchScope): string[] {
  const all = [...new Set([path.dirname(scope.configFile), ...scope.contexts.map((c) => c.root)])].sort();
  return all.filter((root) => !all.some((other) => other !== root && root.startsWith(other.endsWith("/") ? other : `${other}/`)));
}

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
