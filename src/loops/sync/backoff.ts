// How long `sync` waits after a failed cycle: 5 s (or the interval, when shorter), doubling with
// each failure in a row, at most 5 minutes (or the interval, when longer). Pure.

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;

export function backoffDelay(failuresInRow: number, intervalMs: number): number {
  const first = Math.min(FIRST_RETRY_MS, intervalMs);
  const cap = Math.max(MAX_RETRY_MS, intervalMs);
  const exponent = Math.min(Math.max(failuresInRow - 1, 0), 30);
  return Math.min(first * 2 ** exponent, cap);
}
