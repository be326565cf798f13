// `meshdeploy sync --repo URL`: follow a branch (GitOps). Thin: keeps the clone in
// `.meshdeploy/sync/<hash of url+ref>`, opens the target for the config's project (one at a time),
// and runs the loop in src/loops/sync/sync-loop.ts until Ctrl-C (exit 130), or a single cycle with --once
// (exit 1 when that cycle failed or skipped its commit).
import path from "node:path";
import { UsageError } from "../../errors.js";
import { isLocalPath } from "../../git/remotes.js";
import { stripCredentials } from "../../git/strip-credentials.js";
import { SyncLoop, type SyncTargets } from "../../loops/sync/sync-loop.js";
import { SyncRepo } from "../../loops/sync/sync-repo.js";
import { sha256Hex } from "../../model/stable-json.js";
import { renderCycle } from "../../output/render-sync.js";
import { printer, runSettings, type CommandContext, type RunFlags } from "./context.js";
import { openTarget, type OpenTarget, type TargetFlags } from "./open-target.js";
import { ignoreStateDir, STATE_DIR } from "../../state-dir.js";

export const SYNC_CACHE_DIR = `${STATE_DIR}/sync`;

export interface SyncArgs extends TargetFlags, RunFlags {
  repo: string;
  ref: string | undefined;
  path: string;
  intervalSeconds: number;
  once: boolean;
  prune: boolean;
  adoptFrom: string[];
}

/** The config path inside the repository, POSIX and without `./`; never outside it. */
export function repoPath(file: string): string {
  const normal = path.posix.normalize(file.replaceAll("\\", "/")).replace(/^(\.\/)+/, "");
  if (normal === "" || normal === "." || normal.startsWith("../") || normal === ".." || path.posix.isAbsolute(normal)) {
    throw new UsageError(`sync: --path must name a file inside the repository, got "${file}"`);
  }
  return normal;
}

export function syncCacheDir(cwd: string, url: string, ref: string | undefined): string {
  return path.resolve(cwd, SYNC_CACHE_DIR, sha256Hex(`${url}\n${ref ?? ""}`).slice(0, 16));
}

export async function syncCommand(args: SyncArgs, ctx: CommandContext): Promise<number> {
  const { out, err, style } = printer(ctx);
  const configPath = repoPath(args.path);
  // A local path is the user's, relative to where they ran sync (git would read it relative to the cache).
  if (isLocalPath(args.repo)) args = { ...args, repo: path.resolve(ctx.io.cwd, args.repo) };
  redactUrlCredentials(args.repo, ctx);
  const dir = syncCacheDir(ctx.io.cwd, args.repo, args.ref);
  ignoreStateDir(dir);
  const repo = new SyncRepo({ url: args.repo, ref: args.ref ?? null, dir, signal: ctx.io.signal });
  let current: { key: string; opened: OpenTarget } | null = null;
  const targets: SyncTargets = {
    async open(config) {
      // A commit that changes `project:` or `platform:` needs another target.
      const key = JSON.stringify([config.project, config.platform]);
      if (current !== null && current.key !== key) {
        await current.opened.close();
        current = null;
      }
      // Shared: an `apply --local` meanwhile uses this room instead of waiting for the sync to end.
      current ??= { key, opened: await openTarget({ ...args, shareLocalRoom: true }, { project: config.project, platform: config.platform }, ctx.io, ctx.redactor) };
      return current.opened;
    },
  };
  const loop = new SyncLoop({
    repo,
    path: configPath,
    intervalMs: args.intervalSeconds * 1000,
    env: ctx.io.env,
    targets,
    prune: args.prune,
    adoptFrom: args.adoptFrom,
    apply: runSettings(args),
    signal: ctx.io.signal,
    sleep,
    onReport: (report) => {
      for (const line of renderCycle(report, style)) out(line);
    },
  });
  const every = args.once ? "once" : `every ${args.intervalSeconds}s`;
  err(style.dim(`meshdeploy sync · ${stripCredentials(args.repo)} ${args.ref ?? "(default branch)"} · ${configPath} · ${every} · cache ${path.relative(ctx.io.cwd, dir) || dir}`));
  try {
    if (args.once) {
      const report = await loop.cycle();
      for (const line of renderCycle(report, style)) out(line);
      return report.outcome === "interrupted" ? 130 : report.outcome === "failed" || report.outcome === "skipped" ? 1 : 0;
    }
    await loop.run();
    out("sync stopped.");
    return 130;
  } finally {
    await (current as { opened: OpenTarget } | null)?.opened.close();
  }
}

/** Credentials in the URL (`https://user:token@…`) never reach the output, even inside git's messages. */
function redactUrlCredentials(url: string, ctx: CommandContext): void {
  try {
    const parsed = new URL(url);
    ctx.redactor.add(decodeURIComponent(parsed.password));
    ctx.redactor.add(parsed.password);
    if (/^https?:$/.test(parsed.protocol)) {
      ctx.redactor.add(decodeURIComponent(parsed.username));
      ctx.redactor.add(parsed.username);
      for (const value of parsed.searchParams.values()) ctx.redactor.add(value);
    }
  } catch {
    // Not a URL (scp-like ssh or a path): nothing secret in it.
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
