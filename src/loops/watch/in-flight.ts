// Which services are in the middle of a platform write (spec POST/PUT/DELETE, route steps, the
// restart), from apply's events. On Ctrl-C, watch waits (bounded) for exactly these to finish;
// a build upload or a health wait is not a write and is abandoned at once.
import type { ApplyEvent } from "../../apply/apply-plan.js";

export class WritesInFlight {
  readonly #writing = new Set<string>();
  #waiters: (() => void)[] = [];

  get count(): number {
    return this.#writing.size;
  }

  observe(event: ApplyEvent): void {
    if (event.type === "log" || event.type === "start" || event.type === "warning") return;
    const key = event.type === "finish" ? keyOf(event.result.service) : keyOf(event.service);
    if (event.type === "phase" && (event.phase === "writing" || event.phase === "restarting")) this.#writing.add(key);
    else this.#writing.delete(key);
    if (this.#writing.size === 0) this.#wake();
  }

  /** Resolves when no write is in flight. */
  drained(): Promise<void> {
    if (this.#writing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }
}

const keyOf = (service: { room: string; name: string }): string => `${service.room}/${service.name}`;
