// Waiting on timers in tests: poll a condition with a generous deadline instead of sleeping a
// fixed time, so a loaded CI machine (late timers) slows a test down but never fails it.
import { setTimeout as sleep } from "node:timers/promises";

/** Resolves once `condition()` holds; rejects naming `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}
