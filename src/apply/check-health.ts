// Health of declared services, read fresh every run: one `services.list` per room, whatever the
// last run did (a wait that was killed or failed on a transient error is re-checked here, so a
// crash-looping service is never "up to date"; reliability audit H2). A service still starting is
// waited for like a freshly written one (shared poller, same deadline); a crash-looping or exited
// one is reported with its state, restarts, exit code and last log lines. Reads only.
import { MeshdeployError } from "../errors.js";
import { classifyHealth, type Health } from "../model/health.js";
import type { RoomApi, ServiceState } from "../platform/room-api.js";
import type { Target } from "../platform/target.js";
import { quotedLines, stripCriPrefix } from "./log-tail.js";
import { realClock, StatePoller, type Clock } from "./state-poller.js";
import { CRASH_LOG_LINES, MAX_POLL_OUTAGE_MS, POLL_BACKOFF_MAX_MS, serverNotes } from "./wait-live.js";

/** A declared service to check: where it is and what the live spec says. */
export interface HealthSubject {
  room: string;
  name: string;
  /** null: not in the room. */
  id: string | null;
  disabled: boolean;
}

export interface HealthEntry {
  room: string;
  name: string;
  id: string | null;
  health: Health;
  /** The room's state for it (undefined: none reported). */
  state: ServiceState | undefined;
  /** The crashed or exited container's newest log lines (CRI prefixes stripped); [] otherwise. */
  logs: string[];
  /** The room's states could not be read (after retries): health is unknown, reported as starting. */
  unreadable?: string;
  /** Starting and not waited for (`--no-wait`): reported, not a failure. */
  notWaited?: true;
}

export interface HealthOptions {
  /** Wait for services still starting (default true); false reports them as starting. */
  wait?: boolean;
  timeoutMs?: number;
  pollIntervalMs?: number;
  clock?: Clock;
  signal?: AbortSignal;
}

export async function checkHealth(target: Target, subjects: readonly HealthSubject[], options: HealthOptions = {}): Promise<HealthEntry[]> {
  const rooms = [...new Set(subjects.filter((s) => s.id !== null && !s.disabled).map((s) => s.room))];
  const byRoom = new Map(await Promise.all(rooms.map(async (room) => {
    const inRoom = subjects.filter((s) => s.room === room);
    // A room whose states cannot be read does not lose the run's result: its services are "health unknown".
    const entries = await roomHealth(target, room, inRoom, options).catch((error: unknown) => unknownHealth(inRoom, error));
    return [room, entries] as const;
  })));
  return subjects.map((s) => byRoom.get(s.room)?.get(s) ?? { room: s.room, name: s.name, id: s.id, health: classifyHealth({ exists: s.id !== null, disabled: s.disabled, state: undefined }), state: undefined, logs: [] });
}

async function roomHealth(target: Target, roomName: string, subjects: readonly HealthSubject[], options: HealthOptions): Promise<Map<HealthSubject, HealthEntry>> {
  const clock = options.clock ?? realClock;
  const room = await target.room(roomName);
  const poller = new StatePoller(room, options.pollIntervalMs ?? 1000, clock);
  const deadline = clock.now() + (options.timeoutMs ?? 300_000);
  const entries = new Map<HealthSubject, HealthEntry>();
  let pending = [...subjects];
  // Failed reads are retried as the wait retries them (audit L5): 1 s doubling to 15 s, for up to 60 s.
  let failures = 0;
  let failingSince = 0;
  while (pending.length > 0) {
    let states: Map<string, ServiceState>;
    try {
      states = await poller.next();
      failures = 0;
    } catch (error) {
      if (failures === 0) failingSince = clock.now();
      failures += 1;
      if (clock.now() - failingSince >= MAX_POLL_OUTAGE_MS || options.signal?.aborted) throw error;
      await clock.sleep(Math.min(1_000 * 2 ** (failures - 1), POLL_BACKOFF_MAX_MS));
      continue;
    }
    const last = options.wait === false || clock.now() > deadline || options.signal?.aborted === true;
    const next: HealthSubject[] = [];
    for (const s of pending) {
      const state = s.id === null ? undefined : states.get(s.id);
      const health = classifyHealth({ exists: s.id !== null, disabled: s.disabled, state });
      if (health === "starting" && !last) next.push(s);
      else entries.set(s, { room: s.room, name: s.name, id: s.id, health, state, logs: [], ...(health === "starting" && options.wait === false ? { notWaited: true as const } : {}) });
    }
    pending = next;
  }
  await Promise.all([...entries.values()].map(async (entry) => {
    if (entry.health === "crashloop" || entry.health === "exited") entry.logs = await tail(room, entry.state?.containerId ?? null);
  }));
  return entries;
}

function unknownHealth(subjects: readonly HealthSubject[], error: unknown): Map<HealthSubject, HealthEntry> {
  const why = error instanceof Error ? error.message : String(error);
  return new Map(subjects.map((s) => [s, { room: s.room, name: s.name, id: s.id, health: s.disabled ? "disabled" : s.id === null ? "missing" : "starting", state: undefined, logs: [], ...(s.disabled || s.id === null ? {} : { unreadable: why }) }]));
}

async function tail(room: RoomApi, containerId: string | null): Promise<string[]> {
  if (containerId === null) return [];
  const lines = await room.containerLogs(containerId, { maxLines: CRASH_LOG_LINES }).catch((): string[] => []);
  return lines.slice(-CRASH_LOG_LINES).map(stripCriPrefix);
}

/** One line per entry that is not live: the state, restarts, exit code, then the server's notes and the log tail. */
export function describeUnhealthy(entry: HealthEntry): string {
  const s = entry.state;
  if (entry.unreadable !== undefined) return `${entry.name} (room ${entry.room}) health unknown: the room's service states could not be read (${entry.unreadable})`;
  const facts = s === undefined
    ? entry.health === "missing" ? "it is not in the room" : "the room reports no container for it"
    : `state ${s.state}, ${s.restartCount} restart${s.restartCount === 1 ? "" : "s"}, last exit code ${s.lastExitCode ?? "none"}`;
  const headline = `${entry.name} (room ${entry.room}) is not live: ${entry.health}, ${facts}`;
  return [headline, ...serverNotes(s), ...quotedLines(entry.logs)].join("\n");
}

/** Entries that fail a run: anything but healthy, disabled, or starting when the run does not wait. */
export function unhealthy(entries: readonly HealthEntry[]): HealthEntry[] {
  return entries.filter((e) => e.health !== "healthy" && e.health !== "disabled" && e.notWaited !== true);
}

/** `detailed`: the message carries every entry's block (for watch and sync, which print no health lines of their own). */
export function healthError(entries: readonly HealthEntry[], options: { detailed?: boolean } = {}): MeshdeployError {
  const names = entries.map((e) => `${e.name} (${e.health}${e.state?.lastExitCode == null ? "" : `, exit code ${e.state.lastExitCode}`})`);
  const details = options.detailed === true ? entries.map((e) => `\n${describeUnhealthy(e)}`).join("") : "";
  return new MeshdeployError("E_HEALTH", `${entries.length} declared service(s) not live: ${names.join(", ")}${details}`, {
    hint: "health is read fresh on every run, whatever the last run did; fix the cause (config, image, room) and apply again, or see `meshdeploy status` and `meshdeploy logs SERVICE`",
  });
}
