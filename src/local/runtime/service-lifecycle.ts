// Emulated container lifecycle of room services, as `services.list` reports it (platform-api.md
// §6). In memory only. A create, an update or a restart gives the service a new container:
// `starting`, then `running` after `startDelayMs`. The crash-loop switch: a container environment
// entry `MESHDEPLOY_LOCAL_CRASH=<exit code>` (a plain `value`) makes the container exit instead
// of running: `restarting`, and `restart_count` grows by one every `startDelayMs`.
// Each container has a short synthetic log (runtime/container-log-buffer.ts, read by `containers.logs`):
// a line when it starts, the text of `MESHDEPLOY_LOCAL_LOG=<text>` as if the container printed it
// at start, and a line for every crash-loop exit. A service with `enabled: false` (0.50.1) gets no
// container: `stopped`, whatever asks it to start (create, update, restart, the room starting).
// Each service also keeps a few lifecycle events and when its container began running, which the
// 0.50.1 `services.list` reports (room/service-states.ts).
//
//   start ──delay──▶ running                      (no crash switch)
//   start ──delay──▶ restarting ──delay──▶ restarting (restart_count + 1) ──▶ …
//   start ──────────▶ stopped                      (enabled: false; never leaves it)
import { randomBytes } from "node:crypto";
import type { ServiceRecord } from "../state.js";
import { ContainerLogs, type ContainerLogReader } from "./container-log-buffer.js";

export const CRASH_SWITCH = "MESHDEPLOY_LOCAL_CRASH";
/** Text the emulated container prints when it starts (one log line per line of text). */
export const LOG_SWITCH = "MESHDEPLOY_LOCAL_LOG";

export type ServiceRunState = "starting" | "running" | "restarting" | "stopped";

/** One entry of `service_states` (times in Unix seconds, as the platform sends them). */
export interface ServiceRuntimeState {
  service_id: string;
  state: ServiceRunState;
  /** null only for a stopped (disabled) service, which has no container. */
  container_id: string | null;
  restart_scheduled_at: number | null;
  /** null only for a stopped (disabled) service. */
  started_at: number | null;
  restart_count: number;
  last_exit_code: number | null;
  last_exit_at: number | null;
}

/** A lifecycle event as 0.50.1 `ServiceRuntimeEvent` has it: repeated ones are counted, not repeated. */
export interface ServiceRuntimeEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  count: number;
  first_timestamp: number;
  last_timestamp: number;
}

/** What the 0.50.1 state adds: since when the container runs (seconds; null if it does not), and the events. */
export interface ServiceRuntimeExtras {
  running_since: number | null;
  events: ServiceRuntimeEvent[];
}

/** Events kept per service (the newest). */
const EVENT_LIMIT = 20;

export interface ServiceLifecycleOptions {
  startDelayMs: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
  newContainerId?: () => string;
}

interface Tracked {
  room: string;
  state: ServiceRuntimeState;
  crashCode: number | null;
  image: string;
  printed: string | null;
  timer: NodeJS.Timeout | null;
  runningSince: number | null;
  events: ServiceRuntimeEvent[];
}

export class ServiceLifecycle {
  readonly #delay: number;
  readonly #now: () => number;
  readonly #newContainerId: () => string;
  readonly #services = new Map<string, Tracked>();
  readonly #logs = new ContainerLogs();

  constructor(options: ServiceLifecycleOptions) {
    this.#delay = options.startDelayMs;
    this.#now = options.now ?? Date.now;
    this.#newContainerId = options.newContainerId ?? (() => randomBytes(32).toString("hex"));
  }

  /** The containers' synthetic logs. */
  get logs(): ContainerLogReader {
    return this.#logs;
  }

  /** Starts a new container for the service (after a create, an update or a restart); a disabled service stays stopped. */
  start(room: string, service: ServiceRecord): void {
    const key = keyOf(room, service.id);
    this.#stopTimer(key);
    this.#stopContainer(key);
    if (service.enabled === false) {
      this.#services.set(key, this.#stopped(room, service));
      return;
    }
    const containerId = this.#newContainerId();
    const tracked: Tracked = {
      room,
      state: {
        service_id: service.id,
        state: "starting",
        container_id: containerId,
        restart_scheduled_at: null,
        started_at: this.#seconds(),
        restart_count: 0,
        last_exit_code: null,
        last_exit_at: null,
      },
      crashCode: crashCodeOf(service),
      image: imageOf(service),
      printed: plainEnvValue(service, LOG_SWITCH),
      timer: null,
      runningSince: null,
      events: [],
    };
    this.#services.set(key, tracked);
    this.#logs.open(room, containerId);
    this.#printStart(tracked);
    this.#schedule(key, tracked, () => (tracked.crashCode === null ? this.#run(tracked) : this.#exit(key, tracked)));
  }

  remove(room: string, serviceId: string): void {
    const key = keyOf(room, serviceId);
    this.#stopTimer(key);
    this.#stopContainer(key);
    this.#services.delete(key);
  }

  /** A copy of the service's state, or undefined when it was never started. */
  state(room: string, serviceId: string): ServiceRuntimeState | undefined {
    const tracked = this.#services.get(keyOf(room, serviceId));
    return tracked === undefined ? undefined : { ...tracked.state };
  }

  /** The 0.50.1 additions to the service's state, or undefined when it was never started. */
  extras(room: string, serviceId: string): ServiceRuntimeExtras | undefined {
    const tracked = this.#services.get(keyOf(room, serviceId));
    return tracked === undefined ? undefined : { running_since: tracked.runningSince, events: tracked.events.map((event) => ({ ...event })) };
  }

  /** Stops every timer and ends every log follower; states and logs stay readable. */
  close(): void {
    for (const key of this.#services.keys()) this.#stopTimer(key);
    this.#logs.stopAll();
  }

  #run(tracked: Tracked): void {
    tracked.timer = null;
    tracked.state.state = "running";
    tracked.runningSince = this.#seconds();
  }

  #stopped(room: string, service: ServiceRecord): Tracked {
    const tracked: Tracked = {
      room,
      state: {
        service_id: service.id,
        state: "stopped",
        container_id: null,
        restart_scheduled_at: null,
        started_at: null,
        restart_count: 0,
        last_exit_code: null,
        last_exit_at: null,
      },
      crashCode: null,
      image: imageOf(service),
      printed: null,
      timer: null,
      runningSince: null,
      events: [],
    };
    this.#event(tracked, "Normal", "Disabled", "the service is disabled (enabled: false): it is not started");
    return tracked;
  }

  /** Records an event; one with the same type, reason and message as an earlier one only counts that one up. */
  #event(tracked: Tracked, type: ServiceRuntimeEvent["type"], reason: string, message: string): void {
    const now = this.#seconds();
    const same = tracked.events.find((event) => event.type === type && event.reason === reason && event.message === message);
    if (same !== undefined) {
      same.count += 1;
      same.last_timestamp = now;
      return;
    }
    tracked.events.push({ type, reason, message, count: 1, first_timestamp: now, last_timestamp: now });
    if (tracked.events.length > EVENT_LIMIT) tracked.events.splice(0, tracked.events.length - EVENT_LIMIT);
  }

  /** The container exits with the crash code and is restarted after the delay, forever. */
  #exit(key: string, tracked: Tracked): void {
    const now = this.#seconds();
    tracked.state.state = "restarting";
    tracked.state.restart_count += 1;
    tracked.state.last_exit_code = tracked.crashCode;
    tracked.state.last_exit_at = now;
    tracked.state.restart_scheduled_at = now + this.#delay / 1000;
    this.#print(tracked, `local room: container exited with code ${tracked.crashCode} (${CRASH_SWITCH})`);
    this.#event(tracked, "Warning", "BackOff", `container exited with code ${tracked.crashCode}; restarting`);
    this.#schedule(key, tracked, () => {
      tracked.state.started_at = this.#seconds();
      this.#printStart(tracked);
      this.#exit(key, tracked);
    });
  }

  #printStart(tracked: Tracked): void {
    this.#print(tracked, `local room: container ${tracked.state.container_id} started from ${tracked.image}`);
    this.#event(tracked, "Normal", "Started", `container ${tracked.state.container_id} started from ${tracked.image}`);
    if (tracked.printed !== null) this.#print(tracked, tracked.printed);
  }

  #print(tracked: Tracked, text: string): void {
    if (tracked.state.container_id !== null) this.#logs.append(tracked.room, tracked.state.container_id, text);
  }

  /** The service's current container (if any) is replaced or removed: its log followers end. */
  #stopContainer(key: string): void {
    const tracked = this.#services.get(key);
    if (tracked && tracked.state.container_id !== null) this.#logs.stop(tracked.room, tracked.state.container_id);
  }

  #schedule(key: string, tracked: Tracked, next: () => void): void {
    tracked.timer = setTimeout(() => {
      if (this.#services.get(key) === tracked) next();
    }, this.#delay);
    tracked.timer.unref();
  }

  #stopTimer(key: string): void {
    const tracked = this.#services.get(key);
    if (tracked?.timer) clearTimeout(tracked.timer);
    if (tracked) tracked.timer = null;
  }

  #seconds(): number {
    return this.#now() / 1000;
  }
}

function keyOf(room: string, serviceId: string): string {
  return `${room}\u0000${serviceId}`;
}

/** The exit code of the crash switch, or null when the service has none (or a non-integer value). */
export function crashCodeOf(service: ServiceRecord): number | null {
  const raw = plainEnvValue(service, CRASH_SWITCH);
  if (raw === null) return null;
  const value = raw.trim();
  return /^\d{1,3}$/.test(value) && Number(value) <= 255 ? Number(value) : null;
}

/** The first `container.environment` entry named `name` with a plain string `value` (token/secret entries do not count). */
function plainEnvValue(service: ServiceRecord, name: string): string | null {
  const container = service.container;
  if (typeof container !== "object" || container === null || Array.isArray(container)) return null;
  const environment = container.environment;
  if (!Array.isArray(environment)) return null;
  for (const entry of environment) {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) continue;
    if (entry.name === name && typeof entry.value === "string") return entry.value;
  }
  return null;
}

function imageOf(service: ServiceRecord): string {
  const container = service.container;
  const image = typeof container === "object" && container !== null && !Array.isArray(container) ? container.image : undefined;
  return typeof image === "string" && image !== "" ? image : "(no image)";
}
