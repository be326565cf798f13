// The local room's data directory: creating it private (0700), the bearer token file (0600) and
// the single-instance marker `server.json` that lets a second `local serve` / `--local` find a
// running server instead of starting another one on the same state. Synchronous on purpose: these
// run once at start-up, and callers may use them with or without `await`.
import { chmodSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { MeshdeployError } from "../errors.js";
import { ignoreStateDir } from "../state-dir.js";
import { writeFileAtomicSync } from "./atomic-write.js";
import { liveness, parseIdentity, selfIdentity } from "./process-identity.js";

export const TOKEN_FILE = "token";
export const SERVER_FILE = "server.json";

export interface RunningServer {
  url: string;
  pid: number;
}

export function ensureDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
    ignoreStateDir(dir);
  } catch (error) {
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot create the local room data directory ${dir}: ${errorText(error)}`, {
      hint: "choose another directory with --data",
      cause: error,
    });
  }
}

export function writeTokenFile(dir: string, token: string): void {
  writeFileAtomicSync(join(dir, TOKEN_FILE), `${token}\n`, 0o600);
}

/** The token stored in DIR/token, or null when there is none (missing or empty file). */
export function readTokenFile(dir: string): string | null {
  const text = readIfExists(join(dir, TOKEN_FILE));
  const token = text?.trim() ?? "";
  return token === "" ? null : token;
}

/**
 * Records `server` as the data directory's running local room. Refuses (E_LOCAL_ROOM) when the
 * marker names another process that is still alive; a stale marker is replaced.
 */
export function claimServer(dir: string, server: RunningServer): void {
  const running = findRunningServer(dir);
  if (running !== null && running.pid !== server.pid) {
    throw new MeshdeployError("E_LOCAL_ROOM", `a local room is already running on ${dir} at ${running.url} (pid ${running.pid})`, {
      hint: "use that server, or stop it before starting another on the same data directory",
    });
  }
  // This process records enough to tell it from a later process given the same pid (audit M4).
  const identity = server.pid === process.pid ? selfIdentity() : {};
  writeFileAtomicSync(join(dir, SERVER_FILE), `${JSON.stringify({ ...identity, url: server.url, pid: server.pid })}\n`, 0o600);
}

/** The recorded server if its process is alive, else null (no marker, unreadable, or stale). */
export function findRunningServer(dir: string): RunningServer | null {
  const recorded = readMarker(dir);
  return recorded !== null && recorded.alive() ? { url: recorded.url, pid: recorded.pid } : null;
}

/**
 * Removes the marker when it records `pid` (default: this process) or a process that is gone,
 * so releasing never removes the claim of another live server.
 */
export function releaseServer(dir: string, pid: number = process.pid): void {
  const recorded = readMarker(dir);
  if (recorded === null || recorded.pid === pid || !recorded.alive()) {
    rmSync(join(dir, SERVER_FILE), { force: true });
  }
}

function readMarker(dir: string): (RunningServer & { alive(): boolean }) | null {
  const text = readIfExists(join(dir, SERVER_FILE));
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const { url, pid } = value as Record<string, unknown>;
    if (typeof url !== "string" || typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return null;
    const identity = parseIdentity(text);
    return { url, pid, alive: () => identity !== null && liveness(identity) === "alive" };
  } catch {
    return null;
  }
}

function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot read ${file}: ${errorText(error)}`, { cause: error });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
