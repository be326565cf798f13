// One process at a time per local room data directory. Two processes serving the same
// state.json would each load it, apply their own changes in memory and write the whole file:
// the last write wins and the other's services vanish (a lost update). So startLocalRoom takes
// DIR/lock first, and a second `--local` run on the same directory waits for the first to
// finish, then plans against what it left.
//
// The lock must not go stale (audit M4: in a container meshdeploy is often pid 1, so a killed
// run's pid is alive again at once and a pid check is fooled). So DIR/lock is a Unix socket the
// holder listens on: binding it is atomic (exactly one creator wins), and the kernel stops the
// listening when the holder dies, however it dies (SIGKILL included), in whatever pid namespace
// it ran. A connection refused means the holder is gone: the lock is taken over at once. A
// connection accepted is a live holder, who answers with its record (pid, for the messages).
// Where no socket can be bound (a path too long for one, a filesystem without them) DIR/lock is a
// regular file linked into place holding the holder's pid, start time, boot id, host and a nonce
// (process-identity.ts), so a reused pid is still told apart. This protects one machine; writers
// on other machines are kept apart by the server: names are unique per room (409), and
// createService re-lists on 409 and accepts only a service carrying its own spec-hash
// (platform/meshagent-target.ts).
import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, lstatSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MeshdeployError } from "../errors.js";
import { formatIdentity, isSelf, liveness, parseIdentity, selfIdentity, type ProcessIdentity } from "./process-identity.js";

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
  const record = formatIdentity(selfIdentity());
  const sockets = process.platform !== "win32";
  let announced = false;
  // Bounded: every pass either takes the lock, breaks a stale one, or sleeps toward the deadline.
  for (let pass = 0; pass < 1_000_000; pass += 1) {
    const bound = sockets ? await tryBind(file, record) : "no-sockets";
    if (typeof bound === "object") return bound;
    // No socket here: the file form (tryBind leaves nothing behind when it cannot bind).
    if (bound === "no-sockets" && tryCreate(file, record)) return { release: () => releaseIfOurs(file, record) };
    const holder = await readHolder(file);
    if (holder === null) continue; // released between our create and our read: try again
    if (holder.dead) {
      removeIfUnchanged(file, holder);
      continue;
    }
    const pid = holder.identity?.pid ?? 0;
    if (Date.now() >= deadline) {
      throw new MeshdeployError("E_LOCAL_ROOM", `the local room data directory ${dir} is in use by process ${pid}${describe(holder.identity)}`, {
        hint: `wait for that meshdeploy run or \`local serve\` to finish; if no such process exists, remove ${file}`,
      });
    }
    if (!announced) {
      announced = true;
      options.onWait?.(pid);
    }
    if (options.signal?.aborted) throw interrupted(dir, pid);
    await sleep(Math.min(pollMs, Math.max(1, deadline - Date.now())), undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    if (options.signal?.aborted) throw interrupted(dir, pid);
  }
  throw new MeshdeployError("E_LOCAL_ROOM", `could not lock the local room data directory ${dir}`);
}

function interrupted(dir: string, holder: number): MeshdeployError {
  return new MeshdeployError("E_INTERRUPTED", `interrupted while waiting for process ${holder} to release ${dir}; nothing was changed`);
}

function describe(identity: ProcessIdentity | null): string {
  if (identity === null) return "";
  if (isSelf(identity)) return " (this process)";
  return identity.host !== "" && identity.host !== selfIdentity().host ? ` on host ${identity.host}` : "";
}

/** Unix socket paths are limited to 108 bytes (104 on macOS). */
const MAX_SOCKET_PATH = 100;

/**
 * Makes DIR/lock a listening socket that tells each caller who holds it: bound under a temporary
 * name, then hard-linked into place (link fails on EEXIST: exactly one creator wins, and the lock
 * never exists without a listener behind it). "taken" when it exists; "no-sockets" when this
 * filesystem or path cannot hold one.
 */
async function tryBind(file: string, record: string): Promise<DirLock | "taken" | "no-sockets"> {
  const temp = `${file}.${randomBytes(4).toString("hex")}.sock`;
  if (Buffer.byteLength(temp) > MAX_SOCKET_PATH) return "no-sockets";
  const server: Server = createServer((socket) => {
    socket.on("error", () => {});
    socket.end(record);
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(temp, () => resolve(true));
  });
  if (!listening) return "no-sockets";
  server.unref();
  try {
    // The holder's record goes only to who may write to it (connecting needs write permission).
    chmodSync(temp, 0o600);
    linkSync(temp, file);
  } catch (error) {
    server.close(); // unlinks the temporary name
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return "taken";
    return "no-sockets";
  }
  // Closing the server unlinks only the temporary name (libuv): gone already, so nothing else.
  rmSync(temp, { force: true });
  const inode = inodeOf(file);
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      // Only our own socket: a lock made since (by someone who judged us gone) stays.
      if (inodeOf(file) === inode) rmSync(file, { force: true });
      server.close();
    },
  };
}

/** Links a complete record into place: the lock never exists without its holder (link fails on EEXIST). */
function tryCreate(file: string, record: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, record, { mode: 0o600, flag: "wx" });
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot create ${file}: ${(error as Error).message}`, { cause: error });
  } finally {
    rmSync(temp, { force: true });
  }
}

interface Holder {
  /** What was judged, so a takeover removes exactly that and not a lock made since. */
  inode: number;
  text: string | null;
  /** null: unreadable, nobody's lock. */
  identity: ProcessIdentity | null;
  dead: boolean;
}

/** Who holds DIR/lock; null when nothing is there. A socket is asked; a file is read and judged. */
async function readHolder(file: string): Promise<Holder | null> {
  let stat;
  try {
    stat = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  if (stat.isSocket()) {
    const answer = await knock(file);
    if (answer === "gone") return null;
    if (answer === "refused") return { inode: stat.ino, text: null, identity: null, dead: true };
    // Accepted, or a holder too busy to answer within the knock: alive either way.
    return { inode: stat.ino, text: null, identity: answer === "busy" ? null : parseIdentity(answer), dead: false };
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new MeshdeployError("E_LOCAL_ROOM", `cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  // Never empty (see tryCreate); anything unreadable is nobody's lock.
  const identity = parseIdentity(text);
  const dead = identity === null || liveness(identity, undefined, stat.mtimeMs) === "dead";
  return { inode: stat.ino, text, identity, dead };
}

/** Connects to the lock socket: the holder's record, "refused" (its holder died), "gone" or "busy". */
function knock(file: string): Promise<string | "refused" | "gone" | "busy"> {
  return new Promise((resolve) => {
    const client = connect(file);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => finish("busy"), 2_000);
    function finish(answer: string): void {
      clearTimeout(timer);
      client.destroy();
      resolve(answer);
    }
    client.on("data", (chunk: Buffer) => chunks.push(chunk));
    client.once("end", () => finish(Buffer.concat(chunks).toString("utf8")));
    client.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") finish("refused");
      else if (error.code === "ENOENT") finish("gone");
      else finish("busy");
    });
  });
}

/**
 * Breaks a stale lock, unless someone replaced it since we judged it. (Between this re-check and
 * the removal lies a window of microseconds in which two processes breaking the same stale lock
 * at the same moment could both proceed; a lock left by a killed process is rare, two runs racing
 * for it in that window rarer still.)
 */
function removeIfUnchanged(file: string, holder: Holder): void {
  if (inodeOf(file) !== holder.inode) return;
  if (holder.text !== null) {
    let now: string | null = null;
    try {
      now = readFileSync(file, "utf8");
    } catch {
      return;
    }
    if (now !== holder.text) return;
  }
  rmSync(file, { force: true });
}

function releaseIfOurs(file: string, record: string): void {
  try {
    if (readFileSync(file, "utf8") === record) rmSync(file, { force: true });
  } catch {
    // Gone already, or a socket now: not ours.
  }
}

function inodeOf(file: string): number | null {
  try {
    return lstatSync(file).ino;
  } catch {
    return null;
  }
}
