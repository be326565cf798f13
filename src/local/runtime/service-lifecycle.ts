// Emulated container lifecycle of room services, as `services.list` reports it (platform-api.md
// §6). In memory only. A create, an update or a restart gives the service a new container:
// `starting`, then `running` after `startDelayMs`. The crash-loop switch: a container environment
// entry `MESHDEPLOY_LOCAL_CRASH=<exit code>` (a plain `value`) makes the container exit instead
// of running: `restarting`, and `restart_count` grows by one every `startDelayMs`.
// Each container has a short synthetic log (runtime/container-log-buffer.ts, read by `containers.logs`):
// a line when it starts, the text of `MESHDEPLOY_LOCAL_LOG=<text>` as if the container printed it
// at start, and a line for every crash-loop exit.
//
//   start ──delay──▶ running                      (no crash switch)
//   start ──delay──▶ restarting ──delay──▶ restarting (restart_count + 1) ──▶ …
import { randomBytes } from "node:crypto";
import type { ServiceRecord } from "../state.js";
import { ContainerLogs, type ContainerLogReader } from "./container-log-buffer.js";

export const CRASH_SWITCH = "MESHDEPLOY_LOCAL_CRASH";
/** Text the emulated container prints when it starts (one log line per line of text). */
export const LOG_SWITCH = "MESHDEPLOY_LOCAL_LOG";

export type ServiceRunState = "starting" | "running" | "restarting";

/** One entry of `service_states` (times in Unix seconds, as the platform sends them). */
export interface ServiceRuntimeState {
  service_id: string;
  state: ServiceRunState;
  container_id: string;
  restart_scheduled_at: number | null;
  started_at: number;
  restart_count: number;
  last_exit_code: number | null;
  last_exit_at: number | null;
}

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

  /** Starts a new container for the service (after a create, an update or a restart). */
  start(room: string, service: ServiceRecord): void {
    const key = keyOf(room, service.id);
    this.#stopTimer(key);
    this.#stopContainer(key);
    const tracked: Tracked = {
      room,
      state: {
        service_id: service.id,
        state: "starting",
        container_id: this.#newContainerId(),
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
    };
    this.#services.set(key, tracked);
    this.#logs.open(room, tracked.state.container_id);
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

  /** Stops every timer and ends every log follower; states and logs stay readable. */
  close(): void {
    for (const key of this.#services.keys()) this.#stopTimer(key);
    this.#logs.stopAll();
  }

  #run(tracked: Tracked): void {
    tracked.timer = null;
    tracked.state.state = "running";
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
    this.#schedule(key, tracked, () => {
      tracked.state.started_at = this.#seconds();
      this.#printStart(tracked);
      this.#exit(key, tracked);
    });
  }

  #printStart(tracked: Tracked): void {
    this.#print(tracked, `local room: container ${tracked.state.container_id} started from ${tracked.image}`);
    if (tracked.printed !== null) this.#print(tracked, tracked.printed);
  }

  #print(tracked: Tracked, text: string): void {
    this.#logs.append(tracked.room, tracked.state.container_id, text);
  }

  /** The service's current container (if any) is replaced or removed: its log followers end. */
  #stopContainer(key: string): void {
    const tracked = this.#services.get(key);
    if (tracked) this.#logs.stop(tracked.room, tracked.state.container_id);
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
