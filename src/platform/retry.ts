// Retry timing for platform requests: exponential backoff with full jitter, honouring
// Retry-After. Time and randomness are passed in so tests are exact. Pure.

export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  baseMs: number;
  maxMs: number;
  /** Upper bound for a server-requested Retry-After. */
  maxRetryAfterMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  attempts: 4,
  baseMs: 250,
  maxMs: 5_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: Date.now,
};

/** 429 and every 5xx are worth another try; so is a request that never got an answer. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function retryDelay(attempt: number, retryAfter: string | null | undefined, policy: RetryPolicy): number {
  const requested = parseRetryAfter(retryAfter, policy.now());
  if (requested !== null) return Math.min(requested, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}
