import assert from "node:assert/strict";
import { test } from "node:test";
import { backoffDelay } from "../../../src/loops/sync/backoff.js";

test("sync backs off from 5 s, doubling, capped at 5 min (or the interval when longer)", () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffDelay(n, 60_000)), [5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  assert.deepEqual([1, 2, 3].map((n) => backoffDelay(n, 1_000)), [1_000, 2_000, 4_000]);
  assert.equal(backoffDelay(1, 600_000), 5_000);
  assert.equal(backoffDelay(20, 600_000), 600_000);
  assert.equal(backoffDelay(10_000, 60_000), 300_000);
});
