// `meshdeploy sync --repo URL`: follow a branch (GitOps). Thin: keeps the clone in
// `.meshdeploy/sync/<hash of url+ref>`, opens the target for the config's project (one at a time),
// and runs the loop in src/loops/sync/sync-loop.ts until Ctrl-C (exit 130), or a single cycle with --once
// (exit 1 when that cycle failed or skipped its commit).
import { existsSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { isLocalPath } from "../../git/remotes.js";
import { stripCredentials } from "../../git/strip-credentials.js";
import { SyncLoop, type CycleReport, type SyncTargets } from "../../loops/sync/sync-loop.js";
import { SyncRepo } from "../../loops/sync/sync-repo.js";
import { sha256Hex } from "../../model/stable-json.js";
import { cycleEvent, LOG_FORMATS, SyncLog, type LogFormat } from "../../output/sync-log.js";
import { createNotifier, githubRepoOf, type Notifier } from "../../loops/sync/notify.js";

import { parseListen, startSyncServer, type SyncServer } from "../../loops/sync/sync-server.js";
import { Trigger } from "../../loops/sync/trigger.js";
import { configVariables, environmentNote, printer, runSettings, type CommandContext, type RunFlags } from "./context.js";
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
  logFormat: string;
  heartbeatSeconds: number;
  /** HOST:PORT for /healthz, /readyz, /metrics and POST /hooks/github. */
  listen: string | undefined;
  suspend: boolean;
  /** While this file exists, applying is suspended (checked every cycle). */
  suspendFile: string | undefined;
  /** false (--no-self-heal): report out-of-band edits, do not correct them. */
  selfHeal: boolean;
  /** --notify URL (repeatable): POST each logged cycle as JSON. */
  notify: string[];
  /** --github-status: a commit status per cycle (token from GITHUB_TOKEN). */
  githubStatus: boolean;
  githubRepo: string | undefined;
  githubApiUrl: string | undefined;
  adoptFrom: string[];
}

/** /readyz fails once the last successful reconcile is older than this many intervals. */
export const READY_INTERVALS = 3;
export const WEBHOOK_SECRET_ENV = "MESHDEPLOY_WEBHOOK_SECRET";

/** The config path inside the repository, POSIX and without `./`; never outside it. */
export function repoPath(file: string): string {
  const normal = path.posix.normalize(file.replaceAll("\\", "/")).replace(/^(\.\/)+/, "");
  if (normal === "" || normal === "." || normal.startsWith("../") || normal === ".." || path.posix.isAbsolute(normal)) {
    throw new UsageError(`sync: --path must name a file inside the repository, got "${file}"`);
  }
  return normal;
}

/** One clone per repository and ref: named by the URL without credentials, so rotating a token reuses the clone (git/remote-auth.ts gives git the token each run). */
export function syncCacheDir(cwd: string, url: string, ref: string | undefined): string {
  return path.resolve(cwd, SYNC_CACHE_DIR, sha256Hex(`${stripCredentials(url)}\n${ref ?? ""}`).slice(0, 16));
}

export async function syncCommand(args: SyncArgs, ctx: CommandContext): Promise<number> {
  const { out, err, style } = printer(ctx);
  const configPath = repoPath(args.path);
  // Checked now, not when the first valid commit opens the target: a loop that fails every fetch must not accept it silently.
  if (!args.local && args.faults !== undefined) throw new UsageError("--faults injects faults into the embedded local room: add --local (or pass --faults to `meshdeploy local serve`)");
  if (!(LOG_FORMATS as readonly string[]).includes(args.logFormat)) throw new UsageError(`sync: --log-format expects text or json, got "${args.logFormat}"`);
  const listen = args.listen === undefined ? null : parseListen(args.listen);
  if (args.listen !== undefined && listen === null) throw new UsageError(`sync: --listen expects HOST:PORT, got "${args.listen}"`, "e.g. --listen 127.0.0.1:9464 (0.0.0.0:9464 in a container)");
  if (listen !== null && args.once) throw new UsageError("sync: --listen serves a running sync; it cannot be combined with --once");
  const log = new SyncLog({ format: args.logFormat as LogFormat, heartbeatMs: args.heartbeatSeconds * 1000, style });
  const now = (): Date => new Date();
  const suspendFile = args.suspendFile === undefined ? null : path.resolve(ctx.io.cwd, args.suspendFile);
  const suspended = (): boolean => args.suspend || (suspendFile !== null && existsSync(suspendFile));
  // prom-client is loaded by sync alone, not at every command's start.
  const { SyncMetrics } = await import("../../loops/sync/sync-metrics.js");
  const metrics = new SyncMetrics();
  const trigger = new Trigger();
  const webhookSecret = ctx.io.env[WEBHOOK_SECRET_ENV];
  ctx.redactor.add(webhookSecret);
  const print = (lines: string[]): void => {
    for (const line of lines) out(line);
  };
  const notifier = makeNotifier(args, ctx);
  let notifying: Promise<void> = Promise.resolve();
  const notify = (report: CycleReport): void => {
    if (notifier === null) return;
    const event = cycleEvent(report, now(), "cycle", null);
    notifying = notifying.then(async () => {
      for (const failure of await notifier.send(report, event)) print([log.event("notify-failed", "warn", `notification failed (the cycle is unaffected): ${failure}`, now())]);
    });
  };
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
    ...configVariables(args, ctx.io),
    targets,
    prune: args.prune,
    adoptFrom: args.adoptFrom,
    apply: runSettings(args),
    signal: ctx.io.signal,
    sleep: trigger.sleep,
    suspended,
    selfHeal: args.selfHeal,
    onReport: (report) => {
      metrics.record(report, Date.now(), suspended());
      const lines = log.cycle(report, now());
      print(lines);
      // Notifications follow the log: a change of state or a heartbeat, not every interval.
      if (lines.length > 0) notify(report);
    },
  });
  const every = args.once ? "once" : `every ${args.intervalSeconds}s`;
  const header = `meshdeploy sync · ${stripCredentials(args.repo)} ${args.ref ?? "(default branch)"} · ${configPath}${environmentNote(configVariables(args, ctx.io).environment)} · ${every} · cache ${path.relative(ctx.io.cwd, dir) || dir}${suspended() ? " · suspended" : ""}`;
  if (args.logFormat === "json") out(log.event("started", "info", header, now(), { repo: stripCredentials(args.repo), ref: args.ref ?? null, path: configPath, interval_s: args.intervalSeconds, suspended: suspended() }));
  else err(style.dim(log.event("started", "info", header, now())));
  let server: SyncServer | null = null;
  const unhang = ctx.io.onHangup?.(() => {
    print([log.event("triggered", "info", "SIGHUP: reconciling now", now(), { by: "SIGHUP" })]);
    trigger.fire();
  });
  try {
    if (listen !== null) {
      server = await startSyncServer({
        ...listen,
        ready: () => metrics.ready(Date.now(), READY_INTERVALS * args.intervalSeconds * 1000),
        metrics: () => metrics.text(),
        webhookSecret,
        onHook: ({ event, id, ref }) => {
          const what = event === "ping" ? "webhook ping" : `webhook push${ref ? ` to ${ref}` : ""}: reconciling now`;
          print([log.event("triggered", "info", what, now(), { by: "webhook", github_event: event, delivery: id, ref })]);
          if (event === "push") trigger.fire();
        },
      });
      const hook = webhookSecret ? "POST /hooks/github" : `POST /hooks/github disabled (no ${WEBHOOK_SECRET_ENV})`;
      print([log.event("listening", "info", `listening on ${server.url}: /healthz, /readyz, /metrics, ${hook}`, now(), { url: server.url, webhook: Boolean(webhookSecret) })]);
    }
    if (args.once) {
      const report = await loop.cycle();
      metrics.record(report, Date.now(), suspended());
      print(log.cycle(report, now()));
      notify(report);
      await notifying;
      return report.outcome === "interrupted" ? 130 : report.outcome === "failed" || report.outcome === "skipped" ? 1 : 0;
    }
    await loop.run();
    await notifying;
    out(log.event("stopped", "info", "sync stopped.", now()));
    return 130;
  } finally {
    unhang?.();
    await server?.close();
    await (current as { opened: OpenTarget } | null)?.opened.close();
  }
}

export const GITHUB_TOKEN_ENV = "GITHUB_TOKEN";

function makeNotifier(args: SyncArgs, ctx: CommandContext): Notifier | null {
  for (const url of args.notify) {
    if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new UsageError(`sync: --notify expects an http(s) URL, got "${url}"`);
    redactUrlCredentials(url, ctx);
  }
  let github = null;
  if (args.githubStatus) {
    const token = ctx.io.env[GITHUB_TOKEN_ENV];
    if (!token) throw new UsageError(`sync: --github-status needs a token in ${GITHUB_TOKEN_ENV}`, "a token that may write commit statuses (fine-grained: \"Commit statuses: write\")");
    ctx.redactor.add(token);
    const repo = args.githubRepo ?? githubRepoOf(args.repo);
    if (repo === null || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new UsageError("sync: --github-status cannot tell the GitHub repository from --repo", "pass --github-repo OWNER/REPO");
    const apiUrl = args.githubApiUrl ?? ctx.io.env["GITHUB_API_URL"] ?? "https://api.github.com";
    if (!URL.canParse(apiUrl)) throw new UsageError(`sync: --github-api-url expects a URL, got "${apiUrl}"`);
    github = { apiUrl, repo, token };
  } else if (args.githubRepo !== undefined || args.githubApiUrl !== undefined) {
    throw new UsageError("sync: --github-repo and --github-api-url only apply with --github-status");
  }
  if (args.notify.length === 0 && github === null) return null;
  return createNotifier({ webhooks: args.notify, github, redact: (text) => ctx.redactor.redact(text) });
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
