// Choose the target from the flags: --local starts the embedded local room in-process (or uses
// a `local serve` already running on the same data dir); otherwise a remote MeshAgent with
// credentials from the environment. The returned close() stops whatever was started.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Io } from "../io.js";
import { UsageError } from "../../errors.js";
import type { Redactor } from "../../output/redact.js";
import { describeFaults, resolveFaults } from "../../local/faults/resolve.js";
import { claimServer, findRunningServer, readTokenFile, releaseServer, writeTokenFile } from "../../local/data-dir.js";
import { isPlatformVersion, PLATFORM_VERSIONS, type PlatformVersion, type Strictness } from "../../local/platform.js";
import { resolveCredentials } from "../../platform/credentials.js";
import type { DesiredState } from "../../model/desired.js";
import { DEFAULT_PROJECT_REGISTRY, type NamingContext } from "../../model/image-ref.js";
import { parseVersion } from "../../model/platform.js";
import type { PlatformOverride } from "../../platform/meshagent-target.js";
import type { Target } from "../../platform/target.js";
import { STATE_DIR, stateDirOf } from "../../state-dir.js";

export const LOCAL_DATA_DIR = `${STATE_DIR}/local`;
export const LOCAL_PROJECT = "local";

export interface TargetFlags {
  local: boolean;
  apiUrl: string | undefined;
  /** --platform: the MeshAgent version to speak instead of the server's. */
  platform?: string | undefined;
  /** -e/--environment: which of the config's environments (else MESHDEPLOY_ENVIRONMENT; context.ts configVariables). */
  environment?: string | undefined;
  /** --faults: fault injection in the embedded local room (else MESHDEPLOY_LOCAL_FAULTS). */
  faults?: string | undefined;
  /** --timeout SECONDS: a deadline for every platform request of the run. */
  timeoutSeconds?: number | undefined;
  /**
   * Long-running commands (watch, sync) with --local: publish the in-process room like `local
   * serve` does, so an `apply --local` meanwhile uses it instead of waiting for the whole life of
   * the loop for DIR/lock (audit L12).
   */
  shareLocalRoom?: boolean;
}

/** Of a run's flags, --concurrency sizes the HTTP pool. */
type OpenFlags = TargetFlags & { concurrency?: number };

/** The local room's generation options from --platform / --strictness, refused unless it speaks them. */
export function localGeneration(platform: string | undefined, strictness: string | undefined): { platform?: PlatformVersion; strictness?: Strictness } {
  if (platform !== undefined && !isPlatformVersion(platform)) {
    throw new UsageError(`the local room speaks MeshAgent ${PLATFORM_VERSIONS.join(" or ")}; got --platform ${platform}`);
  }
  if (strictness !== undefined && strictness !== "lenient" && strictness !== "strict") throw new UsageError(`--strictness expects lenient or strict; got "${strictness}"`);
  return { ...(platform === undefined ? {} : { platform }), ...(strictness === undefined ? {} : { strictness }) };
}

function localConfigPlatform(platform: string | null): string | undefined {
  return platform !== null && isPlatformVersion(platform) ? platform : undefined;
}

/** How long a --local run waits for another run on the same data dir (DIR/lock) to finish. */
const LOCAL_LOCK_WAIT_MS = 15 * 60_000;

export interface OpenTarget {
  target: Target;
  /** Rooms are created on demand only in the local room. */
  createRooms: boolean;
  close(): Promise<void>;
}

/**
 * What of the config decides the target: `project:` and `platform:`, and the config file, beside
 * which `--local` keeps its room (`.meshdeploy/local/` next to the file, like `contexts.json`);
 * without a file (sync's clones) the current directory's.
 */
export type TargetConfig = Pick<DesiredState, "project" | "platform"> & { file?: string };

/** Where `--local` keeps the embedded room's state for this config: beside the file, else in `cwd`. */
export function localDataDir(config: Pick<TargetConfig, "file">, cwd: string): string {
  return config.file === undefined ? path.resolve(cwd, LOCAL_DATA_DIR) : path.join(stateDirOf(path.resolve(cwd, config.file)), "local");
}

/**
 * The project registry and key when they are known before any request: the embedded local room
 * that `--local` would start (registry.meshagent.com, project key "local"). null for a remote
 * target or a `local serve` already running on the data dir (its own flags decide).
 */
export function offlineNaming(flags: Pick<TargetFlags, "local">, io: Pick<Io, "cwd">, config: Pick<TargetConfig, "file"> = {}): NamingContext | null {
  if (!flags.local) return null;
  if (findRunningServer(localDataDir(config, io.cwd)) !== null) return null;
  return { projectRegistry: DEFAULT_PROJECT_REGISTRY, projectKey: LOCAL_PROJECT };
}

/** --platform wins over `platform:`; neither: the server's own version decides. */
export function platformOverride(flags: TargetFlags, config: TargetConfig): PlatformOverride | undefined {
  if (flags.platform !== undefined) {
    if (parseVersion(flags.platform) === null) throw new UsageError(`--platform expects a MeshAgent version such as 0.50.1 or 0.39.9; got "${flags.platform}"`);
    return { version: flags.platform, source: "flag" };
  }
  return config.platform === null ? undefined : { version: config.platform, source: "config" };
}

export async function openTarget(flags: OpenFlags, config: TargetConfig, io: Io, redactor: Redactor): Promise<OpenTarget> {
  const configProject = config.project;
  const override = platformOverride(flags, config);
  const seconds = flags.timeoutSeconds;
  // The deadline starts now: time spent waiting for the local room's lock counts too.
  const platform = { ...(override === undefined ? {} : { platform: override }), ...(seconds === undefined ? {} : { deadline: { at: Date.now() + seconds * 1000, seconds } }) };
  if (flags.local && flags.apiUrl !== undefined) {
    throw new UsageError("--api-url and --local name two different targets", "drop --local to use the API at --api-url, or drop --api-url to use the embedded local room");
  }
  if (!flags.local && flags.faults !== undefined) {
    throw new UsageError("--faults injects faults into the embedded local room: add --local (or pass --faults to `meshdeploy local serve`)");
  }
  const faults = flags.local ? resolveFaults(flags.faults, io.env) : null;
  // The REST client (and its HTTP pool) loads only when a target opens: validate's offline
  // naming (offlineNaming above) needs none of it.
  const { MeshagentTarget } = await import("../../platform/meshagent-target.js");
  if (!flags.local) {
    const credentials = resolveCredentials({ apiUrl: flags.apiUrl, configProject, env: io.env });
    redactor.add(credentials.token);
    // Room JWTs and registry tokens obtained at run time are redacted like the API key.
    const target = new MeshagentTarget({ ...credentials, ...platform, connections: connectionsFor(flags), onSecret: (secret) => redactor.add(secret), onSecretReleased: (secret) => redactor.release(secret) });
    return { target, createRooms: false, close: () => target.close() };
  }
  const dataDir = localDataDir(config, io.cwd);
  const projectId = configProject ?? LOCAL_PROJECT;
  const running = findRunningServer(dataDir);
  const runningToken = running ? readTokenFile(dataDir) : null;
  if (running && runningToken) {
    if (flags.faults !== undefined) {
      throw new UsageError(`--faults cannot change the local room already running at ${running.url} (pid ${running.pid})`, "pass --faults to `meshdeploy local serve` instead");
    }
    redactor.add(runningToken);
    const target = new MeshagentTarget({ apiUrl: running.url, token: runningToken, projectId, label: `local room ${running.url}`, ...platform, connections: connectionsFor(flags), onSecret: (secret) => redactor.add(secret), onSecretReleased: (secret) => redactor.release(secret) });
    return { target, createRooms: true, close: () => target.close() };
  }
  const token = randomBytes(24).toString("base64url");
  redactor.add(token);
  // A second --local run on the same data dir waits here until the first has finished (dir-lock.ts).
  // Loaded only for --local: the local room is a large part of the code.
  const { CLI_REQUEST_LOG_LIMIT, startLocalRoom } = await import("../../local/server.js");
  const room = await startLocalRoom({
    dataDir,
    token,
    projectId,
    faults,
    requestLogLimit: CLI_REQUEST_LOG_LIMIT,
    // The embedded room speaks the generation asked for (--platform, else `platform:` when it is one
    // the local room has); otherwise a new data dir speaks the default and an old one its own.
    ...localGeneration(flags.platform ?? localConfigPlatform(config.platform), undefined),
    lock: { waitMs: LOCAL_LOCK_WAIT_MS, signal: io.signal, onWait: (pid) => io.err(`waiting for another meshdeploy run on ${dataDir} (pid ${pid}) to finish…`) },
  });
  if (faults !== null) io.err(describeFaults(faults));
  if (flags.shareLocalRoom === true) {
    // Only once the room holds DIR/lock, as `local serve` does.
    writeTokenFile(dataDir, token);
    claimServer(dataDir, { url: room.url, pid: process.pid });
  }
  const target = new MeshagentTarget({ apiUrl: room.url, token, projectId, label: `local room in-process at ${dataDir}`, ...platform, connections: connectionsFor(flags), onSecret: (secret) => redactor.add(secret), onSecretReleased: (secret) => redactor.release(secret) });
  return {
    target,
    createRooms: true,
    close: async () => {
      if (flags.shareLocalRoom === true) releaseServer(dataDir);
      await target.close();
      await room.close();
    },
  };
}

/** The HTTP pool's size: what --concurrency asks for, and never fewer than the default 16. */
function connectionsFor(flags: OpenFlags): number {
  return Math.max(16, flags.concurrency ?? 0);
}
