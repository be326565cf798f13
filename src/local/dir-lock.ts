// One process at a time per local room data directory. Two processes serving the same
// state.json would each load it, apply their own changes in memory and write the whole file:
// the last write wins and the other's services vanish (a lost update). So startLocalRoom takes
// DIR/lock first — linked into place atomically (exactly one creator wins), holding the owner's pid —
// and a second `--local` run on the same directory waits for the first to finish, then plans
// against what it left. A lock whose pid is gone (the owner was killed, even with SIGKILL) is
// stale and taken over. This protects one machine; writers on other machines are kept apart by
// the server: names are unique per room (409), and createService re-lists on 409 and accepts
// only a service carrying its own spec-hash (platform/meshagent-target.ts).
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MeshdeployError } from "../errors.js";

export const LOCK_FILE = "lock";

export interface DirLockOptions {
  /** How long to wait for a live holder to let go; 0 refuses at once. */
  waitMs: number;
  /** Called once when the lock is held by another live process and we start waiting. */
  onWait?: (holderPid: number) => void;
  /** Poll interval while waiting (default 100 ms). */
  pollMs?: number;
  /** Stops the wait (Ctrl-C, SIGTERM): rejects with E_INTERRUPTED, the lock not taken. */
  signal?: AbortSignal;
}

export interface DirLock {
  /** Removes the lock if it is still ours. Safe to call twice. */
  release(): void;
}

/** Takes DIR/lock (the directory must exist), waiting up to `waitMs` for a live holder. */
export async function acquireDirLock(dir: string, options: DirLockOptions): Promise<DirLock> {
  const file = join(dir, LOCK_FILE);
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + options.waitMs;
  let announced = false;
  // Bounded: every pass either takes the lock, breaks a stale one, or sleeps toward the deadline.
  for (let pass = 0; pass < 1_000_000; pass += 1) {
    if (tryCreate(file)) return { release: () => releaseIfOurs(file) };
    const holder = readHolder(file);
    if (holder === null) continue; // released between our create and our read: try again
    if (holder !== process.pid && !isAlive(holder)) {
      removeIfHeldBy(file, holder);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new MeshdeployError("E_LOCAL_ROOM", `the local room data directory ${dir} is in use by process ${holder}${holder === process.pid ? " (this process)" : ""}`, {
        hint: `wait for that meshdeploy run or \`local serve\` to finish; if no such process exists, remove ${file}`,
      });
    }
    if (!announced) {
      announced = true;
      options.onWait?.(holder);
    }
    if (options.signal?.aborted) throw interrupted(dir, holder);
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())), undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    if (options.signal?.aborted) throw interrupted(dir, holder);
  }
  throw new MeshdeployError("E_LOCAL_ROOM", `could not lock the local room data directory ${dir}`);
}

function interrupted(dir: string, holder: number): MeshdeployError {
  return new MeshdeployError("E_INTERRUPTED", `interrupted while waiting for process ${holder} to release ${dir}; nothing was changed`);
}

/** Links a complete pid file into place: the lock never exists without its pid (link fails on EEXIST). */
function tryCreate(file: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, `${process.pid}\n`, { mode: 0o600, flag: "wx" });
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot create ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    rmSync(temp, { force: true });
  }
}

/** The pid in the lock file; null when there is no file. An unreadable or empty file counts as a dead holder (pid 0). */
function readHolder(file: string): number | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const pid = Number(text.trim());
  // Never empty (see tryCreate); anything unreadable is nobody's lock.
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

/**
 * Breaks a stale lock, unless someone replaced it since we read it. (Between this re-read and the
 * removal lies a window of microseconds in which two processes breaking the same stale lock at
 * the same moment could both proceed; a lock left by a killed process is rare, two runs racing
 * for it in that window rarer still.)
 */
function removeIfHeldBy(file: string, holder: number): void {
  if (readHolder(file) === holder) rmSync(file, { force: true });
}

function releaseIfOurs(file: string): void {
  if (readHolder(file) === process.pid) rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
