// Group commit: callers ask for "everything I changed so far is durable"; while one write is in
// flight, later requests queue and are all satisfied by the next single write. `flush` must
// snapshot the state when it starts, so a write covers every change made before it began.
// A failed write rejects its batch and every commit queued behind it (the store rolls all of
// those changes back, so none of them may be reported done by a later write).

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class GroupCommit {
  readonly #flush: () => Promise<void>;
  #waiting: Waiter[] = [];
  #running: Promise<void> | null = null;
  #writes = 0;

  constructor(flush: () => Promise<void>) {
    this.#flush = flush;
  }

  /** Number of writes performed so far (for tests and benchmarks). */
  get writes(): number {
    return this.#writes;
  }

  /** Resolves once a write that started after this call has completed. */
  commit(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#running ??= this.#drain();
    });
  }

  /** Resolves when no write is in flight or queued. */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const batch = this.#waiting;
        this.#waiting = [];
        try {
          this.#writes += 1;
          await this.#flush();
          for (const waiter of batch) waiter.resolve();
        } catch (error) {
          const failed = [...batch, ...this.#waiting];
          this.#waiting = [];
          for (const waiter of failed) waiter.reject(error);
        }
      }
    } finally {
      this.#running = null;
    }
  }
}
