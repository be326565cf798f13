// `watch --logs`: after a cycle deploys a service, follow its new container's log through the room
// (containers.logs with follow), one stream per service; a newer deploy of the same service
// replaces its stream, and stop() ends them all. A stream that fails is reported once and dropped:
// logs are for watching, never a reason to fail a cycle.
import type { Target } from "../../platform/target.js";

export interface LogFollowerOptions {
  target: Target;
  onLine(service: string, line: string): void;
  onError(service: string, error: Error): void;
}

export class LogFollower {
  readonly #options: LogFollowerOptions;
  readonly #streams = new Map<string, AbortController>();

  constructor(options: LogFollowerOptions) {
    this.#options = options;
  }

  /** Follows the current container of service `id` in `room` (found with one services.list). */
  follow(room: string, id: string, name: string): void {
    const key = `${room}\u0000${name}`;
    this.#streams.get(key)?.abort();
    const stop = new AbortController();
    this.#streams.set(key, stop);
    void (async () => {
      try {
        const session = await this.#options.target.room(room);
        const containerId = (await session.serviceStates()).get(id)?.containerId ?? null;
        if (containerId === null || stop.signal.aborted) return;
        await session.streamContainerLogs(containerId, (line) => this.#options.onLine(name, line), { follow: true, signal: stop.signal });
      } catch (error) {
        if (!stop.signal.aborted) this.#options.onError(name, error instanceof Error ? error : new Error(String(error)));
      } finally {
        if (this.#streams.get(key) === stop) this.#streams.delete(key);
      }
    })();
  }

  stop(): void {
    for (const stream of this.#streams.values()) stream.abort();
    this.#streams.clear();
  }
}
