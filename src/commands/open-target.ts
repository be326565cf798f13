// Choose the target from the flags: --local starts the embedded local room in-process (or uses
// a `local serve` already running on the same data dir); otherwise a remote MeshAgent with
// credentials from the environment. The returned close() stops whatever was started.
import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Io } from "../cli/io.js";
import type { Redactor } from "../output/redact.js";
import { findRunningServer, readTokenFile } from "../local/data-dir.js";
import { startLocalRoom } from "../local/server.js";
import { resolveCredentials } from "../target/credentials.js";
import { MeshagentTarget } from "../target/meshagent-target.js";
import type { Target } from "../target/target.js";

export const LOCAL_DATA_DIR = ".meshdeploy/local";
export const LOCAL_PROJECT = "local";

export interface TargetFlags {
  local: boolean;
  apiUrl: string | undefined;
}

export interface OpenTarget {
  target: Target;
  /** Rooms are created on demand only in the local room. */
  createRooms: boolean;
  close(): Promise<void>;
}

export async function openTarget(flags: TargetFlags, configProject: string | null, io: Io, redactor: Redactor): Promise<OpenTarget> {
  if (!flags.local) {
    const credentials = resolveCredentials({ apiUrl: flags.apiUrl, configProject, env: io.env });
    redactor.add(credentials.token);
    const target = new MeshagentTarget(credentials);
    return { target, createRooms: false, close: () => target.close() };
  }
  const dataDir = path.resolve(io.cwd, LOCAL_DATA_DIR);
  const projectId = configProject ?? LOCAL_PROJECT;
  const running = findRunningServer(dataDir);
  const runningToken = running ? readTokenFile(dataDir) : null;
  if (running && runningToken) {
    redactor.add(runningToken);
    const target = new MeshagentTarget({ apiUrl: running.url, token: runningToken, projectId, label: `local room ${running.url}` });
    return { target, createRooms: true, close: () => target.close() };
  }
  const token = randomBytes(24).toString("base64url");
  redactor.add(token);
  const room = await startLocalRoom({ dataDir, token, projectId });
  const target = new MeshagentTarget({ apiUrl: room.url, token, projectId, label: `local room (in-process, ${LOCAL_DATA_DIR})` });
  return {
    target,
    createRooms: true,
    close: async () => {
      await target.close();
      await room.close();
    },
  };
}
