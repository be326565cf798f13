import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isRetryableStatus, parseRetryAfter, retryDelay, type RetryPolicy } from "../../src/platform/retry.js";

const policy = (random: number): RetryPolicy => ({
  attempts: 4,
  baseMs: 100,
  maxMs: 1000,
  maxRetryAfterMs: 30_000,
  random: () => random,
  sleep: async () => {},
  now: () => Date.parse("2026-11-26T12:00:00Z"),
});

describe("retry timing", () => {
  it("backs off exponentially with full jitter, capped", () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((a) => retryDelay(a, null, policy(0.999))), [99, 199, 399, 799, 999]);
    assert.equal(retryDelay(3, null, policy(0)), 0);
  });

  it("honours Retry-After in seconds and as an HTTP date, capped", () => {
    assert.equal(retryDelay(1, "3", policy(0.5)), 3000);
    assert.equal(retryDelay(1, "Thu, 26 Nov 2026 12:00:10 GMT", policy(0.5)), 10_000);
    assert.equal(retryDelay(1, "3600", policy(0.5)), 30_000);
    assert.equal(parseRetryAfter("soon", 0), null);
  });

  it("retries 429 and 5xx only", () => {
    assert.deepEqual([400, 401, 404, 409, 429, 500, 503].map(isRetryableStatus), [false, false, false, false, true, true, true]);
  });
});
