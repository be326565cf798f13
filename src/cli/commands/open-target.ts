// Choose the target from the flags: --local starts the embedded local room in-process (or uses
// a `local serve` already running on the same data dir); otherwise a remote MeshAgent with
// credentials from the environment. The returned close() stops whatever was started.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Io } from "../io.js";
import { UsageError } from "../../errors.js";
import type { Redactor } from "../../output/redact.js";
import { describeFaults, resolveFaults } from "../../local/faults/resolve.js";
import { findRunningServer, readTokenFile } from "../../local/data-dir.js";
import { isPlatformVersion, PLATFORM_VERSIONS, type PlatformVersion, type Strictness } from "../../local/platform.js";
import { startLocalRoom } from "../../local/server.js";
import { resolveCredentials } from "../../platform/credentials.js";
import type { DesiredState } from "../../model/desired.js";
import { parseVersion } from "../../model/platform.js";
import { MeshagentTarget, type PlatformOverride } from "../../platform/meshagent-target.js";
import type { Target } from "../../platform/target.js";
import { STATE_DIR, stateDirOf } from "../../state-dir.js";

export const LOCAL_DATA_DIR = `${STATE_DIR}/local`;
export const LOCAL_PROJECT = "local";

export interface TargetFlags {
  local: boolean;
  apiUrl: string | undefined;
  /** --platform: the MeshAgent version to speak instead of the server's. */
  platform?: string | undefined;
  /** --faults: fault injection in the embedded local room (else MESHDEPLOY_LOCAL_FAULTS). */
  faults?: string | undefined;
}

/** The local room's generation options from --platform / --strictness, refused unless it speaks them. */
export function localGeneration(platform: string | undefined, strictness: string | undefined): { platform?: PlatformVersion; strictness?: Strictness } {
  if (platform !== undefined && !isPlatformVersion(platform)) {
    throw new UsageError(`the local room speaks MeshAgent ${PLATFORM_VERSIONS.join(" or ")}; got --platform ${platform}`);
  }
  if (strictness !== undefined && strictness !== "lenient" && strictness !== "strict") throw new UsageError(`--strictness expects lenient or strict; got "${strictness}"`);
  return { ...(platform === undefined ? {} : { platform }), ...(strictness === undefined ? {} : { strictness }) };
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

/** --platform wins over `platform:`; neither: the server's own version decides. */
export function platformOverride(flags: TargetFlags, config: TargetConfig): PlatformOverride | undefined {
  if (flags.platform !== undefined) {
    if (parseVersion(flags.platform) === null) throw new UsageError(`--platform expects a MeshAgent version such as 0.50.1 or 0.39.9; got "${flags.platform}"`);
    return { version: flags.platform, source: "flag" };
  }
  return config.platform === null ? undefined : { version: config.platform, source: "config" };
}

export async function openTarget(flags: TargetFlags, config: TargetConfig, io: Io, redactor: Redactor): Promise<OpenTarget> {
  const configProject = config.project;
  const override = platformOverride(flags, config);
  const platform = override === undefined ? {} : { platform: override };
  if (flags.local && flags.apiUrl !== undefined) {
    throw new UsageError("--api-url and --local name two different targets", "drop --local to use the API at --api-url, or drop --api-url to use the embedded local room");
  }
  if (!flags.local && flags.faults !== undefined) {
    throw new UsageError("--faults injects faults into the embedded local room: add --local (or pass --faults to `meshdeploy local serve`)");
  }
  const faults = flags.local ? resolveFaults(flags.faults, io.env) : null;
  if (!flags.local) {
    const credentials = resolveCredentials({ apiUrl: flags.apiUrl, configProject, env: io.env });
    redactor.add(credentials.token);
    // Room JWTs and registry tokens obtained at run time are redacted like the API key.
    const target = new MeshagentTarget({ ...credentials, ...platform, onSecret: (secret) => redactor.add(secret) });
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
    const target = new MeshagentTarget({ apiUrl: running.url, token: runningToken, projectId, label: `local room ${running.url}`, ...platform, onSecret: (secret) => redactor.add(secret) });
    return { target, createRooms: true, close: () => target.close() };
  }
  const token = randomBytes(24).toString("base64url");
  redactor.add(token);
  // A second --local run on the same data dir waits here until the first has finished (dir-lock.ts).
  const room = await startLocalRoom({
    dataDir,
    token,
    projectId,
    faults,
    ...localGeneration(flags.platform, undefined),
    lock: { waitMs: LOCAL_LOCK_WAIT_MS, signal: io.signal, onWait: (pid) => io.err(`waiting for another meshdeploy run on ${dataDir} (pid ${pid}) to finish…`) },
  });
  if (faults !== null) io.err(describeFaults(faults));
  const target = new MeshagentTarget({ apiUrl: room.url, token, projectId, label: `local room in-process at ${dataDir}`, ...platform, onSecret: (secret) => redactor.add(secret) });
  return {
    target,
    createRooms: true,
    close: async () => {
      await target.close();
      await room.close();
    },
  };
}
