// One `services.list` poll per room per tick, shared by every service waiting in that room, so
// N services waiting in parallel cost one room RPC per second, not N.
import type { RoomApi, ServiceState } from "../platform/room-api.js";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export class StatePoller {
  readonly #session: Pick<RoomApi, "serviceStates">;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #next: Promise<Map<string, ServiceState>> | null = null;
  #lastAt = -Infinity;

  constructor(session: Pick<RoomApi, "serviceStates">, intervalMs: number, clock: Clock = realClock) {
    this.#session = session;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  /** The next snapshot at least `intervalMs` after the previous one; concurrent callers share it. */
  next(): Promise<Map<string, ServiceState>> {
    this.#next ??= (async () => {
      const wait = this.#lastAt + this.#intervalMs - this.#clock.now();
      if (wait > 0) await this.#clock.sleep(wait);
      try {
        return await this.#session.serviceStates();
      } finally {
        this.#lastAt = this.#clock.now();
        this.#next = null;
      }
    })();
    return this.#next;
  }
}
