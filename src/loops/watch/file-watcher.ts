// chokidar over a WatchScope: the config's directory and every build context (one outside the
// config's directory through its parent, see `watchRoots`), never descending into what the scope
// says cannot matter (ignored directories, `.git`, meshdeploy's state), so an idle watch of a
// large context holds one inotify watch per kept directory and burns no CPU.
// Reports changed paths (directories with a trailing "/") one event at a time; batching is the
// state machine's job. Symlinks are not followed, as packing does not follow them.
import { watch, type FSWatcher } from "chokidar";
import type { Stats } from "node:fs";
import { MeshdeployError } from "../../errors.js";
import { isWatched, type WatchScope } from "./scope.js";
import { watchRoots } from "./read-scope.js";

export interface FileWatcher {
  readonly roots: string[];
  close(): Promise<void>;
}

export interface FileWatcherOptions {
  onChange(path: string): void;
  onError(error: MeshdeployError): void;
}

/** Starts watching; resolves once the initial scan is done (changes from then on are reported). */
export async function watchScope(scope: WatchScope, options: FileWatcherOptions): Promise<FileWatcher> {
  const roots = watchRoots(scope);
  const watcher: FSWatcher = watch(roots, {
    ignoreInitial: true,
    followSymlinks: false,
    ignored: (p: string, stats?: Stats) => !isWatched(scope, p, stats === undefined ? undefined : stats.isDirectory()),
  });
  watcher.on("all", (event, p) => {
    const isDir = event === "addDir" || event === "unlinkDir";
    if (isWatched(scope, p, isDir)) options.onChange(isDir ? `${p}/` : p);
  });
  watcher.on("error", (error) => options.onError(watchError(error)));
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return { roots, close: () => watcher.close() };
}

function watchError(error: unknown): MeshdeployError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    code === "ENOSPC"
      ? "the system's inotify watch limit is reached: raise fs.inotify.max_user_watches, or .dockerignore large directories"
      : code === "EMFILE"
        ? "too many open files: raise the limit (ulimit -n), or .dockerignore large directories"
        : "watching continues for the other files; restart watch if edits are missed";
  return new MeshdeployError("E_WATCH", `file watcher: ${message}`, { hint, cause: error });
}
