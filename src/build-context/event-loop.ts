// Keep long synchronous stretches (walking, hashing, packing thousands of files) from starving
// the event loop: a budget clock that, once spent, hands back a promise that resolves on the next
// turn of the loop. The clock lives in the closure of one call, never in the module.
import { performance } from "node:perf_hooks";

/** `const pause = loopPauser(); … const turn = pause(); if (turn) await turn;` */
export function loopPauser(budgetMs = 16): () => Promise<void> | null {
  let since = performance.now();
  return () => {
    if (performance.now() - since < budgetMs) return null;
    return new Promise((resolve) => {
      setImmediate(() => {
        since = performance.now();
        resolve();
      });
    });
  };
}
