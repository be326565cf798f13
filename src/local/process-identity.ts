// Who holds a lock, recorded well enough that a reused pid cannot pass for the holder (audit M4:
// in a container meshdeploy is often pid 1, so the pid of a killed run is alive again at once).
// A record names the pid, the process's start time (field 22 of /proc/PID/stat, clock ticks since
// boot), the boot id, the host name and a random nonce. A holder is alive only when a process with
// that pid exists AND started at the recorded tick of the same boot. Where /proc cannot say
// (not Linux) the pid check alone decides, as before. dir-lock.ts adds a kernel-released check
// (a listening socket) that also sees across pid namespaces; this is its fallback.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";

export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot; null where /proc is not available. */
  start: number | null;
  /** /proc/sys/kernel/random/boot_id; null where not available. */
  boot: string | null;
  host: string;
  /** Random, per process: tells two records of one pid apart. */
  nonce: string;
  /** A Unix socket the holder listens on while it lives (dir-lock.ts); null when there is none. */
  socket: string | null;
}

const NONCE = randomBytes(8).toString("hex");

/** This process, as a lock records it. */
export function selfIdentity(socket: string | null = null): ProcessIdentity {
  return { pid: process.pid, start: startTicks(process.pid), boot: bootId(), host: hostname(), nonce: NONCE, socket };
}

/** The record is this process (the same pid is not enough: see the header). */
export function isSelf(record: ProcessIdentity): boolean {
  return record.pid === process.pid && record.nonce === NONCE;
}

export type Liveness = "alive" | "dead";

/**
 * Is the recorded process still running, judged from /proc alone? Dead when this is a later boot
 * of the same host (a reboot), when no process has its pid on this host, or when the process with
 * its pid started at another tick (the pid was reused). A record from another host cannot be
 * checked: alive, so a lock is never broken under a live holder we cannot see. A bare pid (the
 * old format, no start time) is alive only while a Node process that started before the record
 * was written has that pid.
 */
export function liveness(record: ProcessIdentity, probe: ProcProbe = systemProbe, writtenAtMs: number | null = null): Liveness {
  if (isSelf(record)) return "alive";
  if (record.nonce === "") return legacyLiveness(record.pid, probe, writtenAtMs);
  const boot = probe.bootId();
  const sameHost = record.host === hostname();
  if (record.boot !== null && boot !== null && record.boot !== boot) return sameHost ? "dead" : "alive";
  if (!probe.exists(record.pid)) return sameHost || record.boot === boot ? "dead" : "alive";
  if (record.start === null) return "alive";
  const start = probe.startTicks(record.pid);
  return start !== null && start !== record.start ? "dead" : "alive";
}

function legacyLiveness(pid: number, probe: ProcProbe, writtenAtMs: number | null): Liveness {
  // We never write the old format, so one naming this very process is left over from a former holder.
  if (pid === process.pid || !probe.exists(pid)) return "dead";
  const command = probe.command(pid);
  if (command !== null && !/node|meshdeploy/i.test(command)) return "dead";
  const startedAt = probe.startedAtMs(pid);
  if (startedAt !== null && writtenAtMs !== null && startedAt > writtenAtMs + 1_000) return "dead";
  return "alive";
}

/** What liveness() reads of the system; tests hand in their own. */
export interface ProcProbe {
  exists(pid: number): boolean;
  startTicks(pid: number): number | null;
  /** The process's start as epoch ms (boot time + start ticks); null where unknown. */
  startedAtMs(pid: number): number | null;
  /** argv[0] of the process; null where unknown. */
  command(pid: number): string | null;
  bootId(): string | null;
}

/** Whether `record` was written by a holder on this machine's current boot (so its socket is checkable). */
export function sameBoot(record: ProcessIdentity, probe: ProcProbe = systemProbe): boolean {
  const boot = probe.bootId();
  return record.boot !== null && boot !== null ? record.boot === boot : record.host === hostname();
}

export const systemProbe: ProcProbe = { exists: pidExists, startTicks, startedAtMs, command, bootId };

/** Parses a record written by formatIdentity; a bare pid (the old lock format) has no start time. */
export function parseIdentity(text: string): ProcessIdentity | null {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const pid = Number(trimmed);
    return pid > 0 ? { pid, start: null, boot: null, host: "", nonce: "", socket: null } : null;
  }
  try {
    const value = JSON.parse(trimmed) as Record<string, unknown>;
    const { pid, start, boot, host, nonce, socket } = value;
    if (typeof pid !== "number" || !Number.isInteger(pid) || pid <= 0) return null;
    return {
      pid,
      start: typeof start === "number" ? start : null,
      boot: typeof boot === "string" ? boot : null,
      host: typeof host === "string" ? host : "",
      nonce: typeof nonce === "string" ? nonce : "",
      socket: typeof socket === "string" ? socket : null,
    };
  } catch {
    return null;
  }
}

export function formatIdentity(identity: ProcessIdentity): string {
  return `${JSON.stringify(identity)}\n`;
}

function pidExists(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
function startTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const value = Number(fields[19]);
    return Number.isInteger(value) ? value : null;
  } catch {
    return null;
  }
}

/** USER_HZ: the unit of /proc/PID/stat times, 100 on every Linux ABI Node runs on. */
const TICKS_PER_SECOND = 100;

function startedAtMs(pid: number): number | null {
  const ticks = startTicks(pid);
  if (ticks === null) return null;
  try {
    const btime = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"))?.[1];
    return btime === undefined ? null : Number(btime) * 1000 + (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function command(pid: number): string | null {
  try {
    const argv0 = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "";
    return argv0.split("/").pop() ?? argv0;
  } catch {
    return null;
  }
}

function bootId(): string | null {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}
