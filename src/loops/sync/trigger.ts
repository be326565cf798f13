// The sync loop's sleep, which a trigger (a push webhook, SIGHUP) can cut short. A trigger that
// arrives while a cycle runs is kept, so exactly one more cycle follows at once; several triggers
// in a row are one.
export class Trigger {
  #pending = false;
  #wake: (() => void) | null = null;

  /** Start the next cycle now (or as soon as the running one ends). */
  fire(): void {
    if (this.#wake !== null) this.#wake();
    else this.#pending = true;
  }

  /** Resolves after `ms`, when fired, or when `signal` aborts. */
  sleep = (ms: number, signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal.aborted || this.#pending) {
        this.#pending = false;
        return resolve();
      }
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.#wake = done;
    });
}
