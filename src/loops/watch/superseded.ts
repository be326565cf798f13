// Superseded builds: apply refuses to push a context that changed after the plan was made
// (apply/build-image.ts). In watch that is not an error — a newer cycle deploys the newer files —
// unless it happens on every build (something writes into the context all the time), which must
// not loop. Pure.
import type { ServiceResult } from "../../apply/apply-plan.js";
import { isMeshdeployError } from "../../errors.js";

/**
 * A service whose context changed during this many builds in a row is not retried again until
 * the next edit. (Packing sends files watch does not follow, such as editor swap files, so their
 * writes start no cycle by themselves; a log written on every cycle would.)
 */
export const MAX_SUPERSEDED = 3;

export function isSuperseded(result: ServiceResult): boolean {
  const error = result.error;
  return result.outcome === "failed" && isMeshdeployError(error) && error.code === "E_BUILD" && /changed after the plan was made/.test(error.message);
}

/**
 * Updates `counts` (superseded builds in a row, by room/name; reset by a deploy of that service)
 * and splits this cycle's superseded builds into those to retry and those given up on.
 */
export function countSuperseded(counts: Map<string, number>, results: readonly ServiceResult[]): { retry: ServiceResult[]; stuck: ServiceResult[] } {
  const retry: ServiceResult[] = [];
  const stuck: ServiceResult[] = [];
  for (const result of results) {
    const key = `${result.service.room}/${result.service.name}`;
    if (!isSuperseded(result)) {
      if (result.outcome !== "unchanged" && result.outcome !== "skipped") counts.delete(key);
      continue;
    }
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    (n < MAX_SUPERSEDED ? retry : stuck).push(result);
  }
  return { retry, stuck };
}
