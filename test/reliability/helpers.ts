// Helpers for the reliability tests: generated configs of N services, and a fast retry policy that
// records what it was asked to wait (so Retry-After is checked without sleeping).
import type { RetryPolicy } from "../../src/platform/retry.js";
import { prng } from "../helpers/services.js";

/** A config of `n` services spread over `rooms`, each with env, a token preset on every other one, mounts and a port. */
export function servicesYaml(n: number, options: { owner: string; rooms?: string[]; prefix?: string; env?: string } = { owner: "rel" }): string {
  const rooms = options.rooms ?? ["dev"];
  const prefix = options.prefix ?? "svc";
  const lines = ["version: 1", `room: ${rooms[0]}`, `owner: ${options.owner}`, "services:"];
  for (let i = 0; i < n; i += 1) {
    lines.push(`  - tag: rel/${prefix}-${i}:1`);
    if (rooms.length > 1) lines.push(`    room: ${rooms[i % rooms.length]}`);
    lines.push(`    env: {APP_ENV: ${options.env ?? "test"}, INDEX: "${i}"}`);
    if (i % 2 === 0) lines.push("    token: agentDefault");
    if (i % 3 === 0) lines.push('    mounts: {emptyDirs: ["/tmp/cache"]}');
    lines.push("    ports: [{num: 8000, type: http}]");
  }
  return lines.join("\n") + "\n";
}

/**
 * The default retry shape (4 attempts, Retry-After honoured) with waits cut to a few ms: every
 * delay asked for is recorded in `asked`, so a test can see that a Retry-After of 1 s was obeyed.
 */
export function recordingRetry(asked: number[], seed = 1): RetryPolicy {
  return {
    attempts: 4,
    baseMs: 250,
    maxMs: 5_000,
    maxRetryAfterMs: 60_000,
    random: prng(seed),
    sleep: (ms) => {
      asked.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
    },
    now: Date.now,
  };
}
