// One `services.list` poll per room per tick, shared by every service waiting in that room, so
// N services waiting in parallel cost one room RPC per tick, not N. Ticks start fast (a container
// usually comes up within a second) and back off to the interval given: 50 ms, then ×1.2 each poll,
// so a service that becomes live at time T is seen by about 1.2·T (a watch cycle on a small
// context is mostly this wait); the gap reaches the interval after 18 polls, about 5.3 s.
import type { RoomApi, ServiceState } from "../platform/room-api.js";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** The first gap between polls, and how it grows up to the interval. */
const FIRST_GAP_MS = 50;
const BACKOFF = 1.2;

export class StatePoller {
  readonly #session: Pick<RoomApi, "serviceStates">;
  readonly #intervalMs: number;
  readonly #clock: Clock;
  #gapMs: number;
  #next: Promise<Map<string, ServiceState>> | null = null;
  #lastAt = -Infinity;

  constructor(session: Pick<RoomApi, "serviceStates">, intervalMs: number, clock: Clock = realClock) {
    this.#session = session;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
    this.#gapMs = Math.min(FIRST_GAP_MS, intervalMs);
  }

  /** The next snapshot at least the current gap after the previous one; concurrent callers share it. */
  next(): Promise<Map<string, ServiceState>> {
    this.#next ??= (async () => {
      const first = this.#lastAt === -Infinity;
      const wait = this.#lastAt + this.#gapMs - this.#clock.now();
      if (!first) this.#gapMs = Math.min(this.#intervalMs, this.#gapMs * BACKOFF);
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
