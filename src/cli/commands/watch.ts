// `meshdeploy watch`: load the config (when it is invalid at start, say so and wait for a fix, as
// mid-session), open one target for the whole
// session (so one connection per room), run the watch session until Ctrl-C, print its reports
// through the redactor, close the target. Watch applies like `apply --yes`, waits for services
// like apply, and prunes only with --prune. Returns 130: Ctrl-C is how watch ends.
import { describeOwner } from "../../model/owner.js";
import { realpathSync, statSync, watch as watchDir } from "node:fs";
import { realpath } from "node:fs/promises";
import path from "node:path";
import { renderError } from "../render-error.js";
import { loadConfig } from "../../config/load.js";
import { ConfigError, UsageError } from "../../errors.js";
import type { DesiredState } from "../../model/desired.js";
import { describeTargets, isTargeting, type Targets } from "../../model/targets.js";
import { checkTargets } from "../../read/select-targets.js";
import { renderReport } from "../../output/render-watch.js";
import { LogFollower } from "../../loops/watch/log-follow.js";
import { stripCriPrefix } from "../../apply/log-tail.js";
import { MIN_DEBOUNCE_MS, runWatch, type WatchReport } from "../../loops/watch/session.js";
import { configVariables, DEFAULT_CONFIG, environmentNote, printer, runSettings, type CommandContext, type RunFlags } from "./context.js";
import { localDataDir, openTarget, type TargetFlags } from "./open-target.js";
import { EXIT } from "../exit-codes.js";

export interface WatchArgs extends TargetFlags, RunFlags {
  file: string | undefined;
  debounceMs: number;
  prune: boolean;
  /** --logs: stream the container logs of every service a cycle deploys. */
  logs?: boolean;
  adoptFrom: string[];
  /** `--service`/`--room`/`--exclude` (model/targets.ts); undefined: the whole config. */
  targets?: Targets | undefined;
  /** --verbose: each printed plan also lists up-to-date services and each bookkeeping change (as plan's). */
  verbose?: boolean;
  /** --require-clean: a cycle is refused while FILE's git work tree has uncommitted changes (as apply's). */
  requireClean?: boolean;
}


export async function watchCommand(args: WatchArgs, ctx: CommandContext): Promise<number> {
  if (args.debounceMs < MIN_DEBOUNCE_MS) throw new UsageError(`watch: --debounce expects at least ${MIN_DEBOUNCE_MS} (ms), got ${args.debounceMs}`);
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const { out, err, style } = printer(ctx);
  const desired = await loadWhenValid(file, args, ctx);
  if (desired === null) return EXIT.interrupted;
  // Shared: an `apply --local` meanwhile uses this room instead of waiting for the watch to end.
  const opened = await openTarget({ ...args, shareLocalRoom: true }, desired, ctx.io, ctx.redactor);
  const cwd = await realpath(ctx.io.cwd).catch(() => ctx.io.cwd);
  // Reports arrive synchronously, error rendering is async (it reads the config for the code
  // frame): print through one chain so lines keep their order.
  let printing = Promise.resolve();
  const follower = args.logs === true
    ? new LogFollower({
        target: opened.target,
        onLine: (service, line) => out(`${style.dim(`[${service}]`)} ${stripCriPrefix(line)}`),
        onError: (service, error) => err(style.yellow(`! ${service}: its logs could not be followed (${error.message})`)),
      })
    : null;
  const print = (report: WatchReport): void => {
    if (follower !== null && report.type === "applyEvent" && report.event.type === "finish") {
      const { result } = report.event;
      if ((result.outcome === "created" || result.outcome === "updated") && result.id !== null && result.service.disabled !== true) follower.follow(result.service.room, result.id, result.service.name);
    }
    printing = printing.then(async () => {
      for (const line of await errorLines(report, ctx.io.colour)) err(line);
      for (const line of renderReport(report, { style, cwd, verbose: args.verbose ?? false })) out(line);
    });
  };
  try {
    const targeting = isTargeting(args.targets) ? ` · targeting ${describeTargets(args.targets)} (prune off; not for routine use)` : "";
    err(style.dim(`meshdeploy watch · ${opened.target.label}${environmentNote(desired.environment)} · owner ${describeOwner(desired.owner, desired.ownerSource)}${args.prune ? " · prune on" : ""}${targeting}`));
    // A target that names nothing ends watch now, not at every cycle.
    if (isTargeting(args.targets)) await checkTargets(desired, opened.target, args.targets);
    await runWatch({
      target: opened.target,
      createRooms: opened.createRooms,
      configEnv: ctx.io.env,
      desired,
      debounceMs: args.debounceMs,
      prune: args.prune,
      adoptFrom: args.adoptFrom,
      ...(isTargeting(args.targets) ? { targets: args.targets } : {}),
      requireClean: args.requireClean ?? false,
      run: runSettings(args),
      skipPaths: [...(args.local ? [localDataDir({ file }, ctx.io.cwd)] : []), ...outputFiles()],
      signal: ctx.io.signal,
      onReport: print,
    });
    await printing;
    return EXIT.interrupted;
  } finally {
    follower?.stop();
    await opened.close();
  }
}

/**
 * The regular files this process's stdout and stderr go to (`watch > watch.log`), found through
 * /proc on Linux (elsewhere: none). Watch must not follow them: every line it prints would start
 * the next cycle.
 */
function outputFiles(): string[] {
  const files: string[] = [];
  for (const fd of [1, 2]) {
    try {
      const file = realpathSync(`/proc/self/fd/${fd}`);
      if (statSync(file).isFile()) files.push(file);
    } catch {
      // not Linux, or not a file
    }
  }
  return files;
}

async function errorLines(report: WatchReport, colour: boolean): Promise<string[]> {
  if (report.type === "watchError") return renderError(report.error, colour);
  if (report.type !== "cycleEnd") return [];
  const lines: string[] = [];
  if (report.outcome.configError !== null) lines.push(...(await renderError(report.outcome.configError, colour)));
  if (report.outcome.error !== null) lines.push(...(await renderError(report.outcome.error, colour)));
  return lines;
}

/**
 * The config, once it is valid: an invalid one at start is reported, then watch waits for the file
 * to change and tries again (as it does mid-session, and as Tilt does). null: interrupted first.
 */
async function loadWhenValid(file: string, args: WatchArgs, ctx: CommandContext): Promise<DesiredState | null> {
  const { err, style } = printer(ctx);
  for (;;) {
    // Watch before reading, so a save between the read and the wait is not missed.
    const changed = nextChange(file, ctx.io.signal);
    try {
      const desired = await loadConfig(file, configVariables(args, ctx.io));
      changed.cancel();
      return desired;
    } catch (error) {
      if (!(error instanceof ConfigError)) {
        changed.cancel();
        throw error;
      }
      for (const line of await renderError(error, ctx.io.colour, { changes: false })) err(ctx.redactor.redact(line));
      err(style.red(`✗ the config is invalid; nothing is deployed yet, waiting for a fix to ${path.basename(file)} (Ctrl-C to stop)`));
    }
    if (!(await changed.promise)) return null;
  }
}

/** Resolves true when `file` (in its directory: editors replace files) changes, false on abort. */
function nextChange(file: string, signal: AbortSignal): { promise: Promise<boolean>; cancel(): void } {
  let done = (_changed: boolean): void => {};
  const promise = new Promise<boolean>((resolve) => (done = resolve));
  if (signal.aborted) return { promise: Promise.resolve(false), cancel: () => {} };
  const name = path.basename(file);
  const watcher = watchDir(path.dirname(file), (_event, changed) => {
    if (changed === null || changed === name) finish(true);
  });
  const onAbort = (): void => finish(false);
  signal.addEventListener("abort", onAbort, { once: true });
  function finish(changed: boolean): void {
    watcher.close();
    signal.removeEventListener("abort", onAbort);
    done(changed);
  }
  return { promise, cancel: () => finish(false) };
}

