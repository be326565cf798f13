// Wait until a written service runs a new container, as `meshagent deploy --wait` does
// (cli@0.39.9 image.py `_wait_for_deployed_service_live`): ignore the container that ran before
// the write; fail fast when the new container restarts or is replaced (a crash loop), with its
// exit code and its last log lines; keep waiting while it starts; give up after the timeout.
// The room is reached only through the poller and the log fetcher handed in.
import { MeshdeployError } from "../errors.js";
import { quotedLines, stripCriPrefix } from "./log-tail.js";
import { ready } from "../model/health.js";
import type { ServiceState } from "../platform/room-api.js";
import type { Clock, StatePoller } from "./state-poller.js";

/** How many of a crashed container's newest log lines go into the error. */
export const CRASH_LOG_LINES = 10;

/** Attempts at reading the room's states before the apply starts waiting (apply-plan.ts). */
export const MAX_POLL_FAILURES = 5;

/**
 * How long the room's states may stay unreadable before the wait gives up. A poll is a read
 * shared by every service waiting in the room, so a short outage of that room must not fail them
 * all (audit L5: five failures in a row, five seconds, did): failed polls are retried with
 * exponential backoff (1 s doubling, at most POLL_BACKOFF_MAX_MS) for this long, or until the
 * wait's own timeout.
 */
export const MAX_POLL_OUTAGE_MS = 60_000;
export const POLL_BACKOFF_MAX_MS = 15_000;

/** The newest `maxLines` log lines of a container; [] when they cannot be read. */
export type ContainerLogFetcher = (containerId: string, maxLines: number) => Promise<string[]>;

export interface WaitOptions {
  timeoutMs: number;
  clock: Clock;
  /** Reads a crashed container's last lines for the error; without it the error carries none. */
  logs?: ContainerLogFetcher;
  /** An aborted run does not retry a failed poll. */
  signal?: AbortSignal;
}

export interface Live {
  containerId: string;
}

export async function waitLive(poller: Pick<StatePoller, "next">, serviceId: string, name: string, previousContainerId: string | null, options: WaitOptions): Promise<Live> {
  const deadline = options.clock.now() + options.timeoutMs;
  let seen: string | null = null;
  let last: ServiceState | undefined;
  let failures = 0;
  let failingSince = 0;
  for (;;) {
    if (options.clock.now() > deadline) {
      throw new MeshdeployError("E_WAIT", [`${name} did not start within ${Math.round(options.timeoutMs / 1000)} s${stillWhat(last, seen)}`, ...serverNotes(last)].join("\n"), {
        hint: "raise --wait-timeout, or pass --no-wait to return as soon as the service is written",
      });
    }
    let snapshot: Map<string, ServiceState>;
    try {
      snapshot = await poller.next();
      failures = 0;
    } catch (error) {
      if (failures === 0) failingSince = options.clock.now();
      failures += 1;
      const outage = options.clock.now() - failingSince;
      if (outage >= MAX_POLL_OUTAGE_MS || options.clock.now() >= deadline || options.signal?.aborted) throw error;
      await options.clock.sleep(Math.min(1_000 * 2 ** (failures - 1), POLL_BACKOFF_MAX_MS, Math.max(0, deadline - options.clock.now())));
      continue;
    }
    const state = snapshot.get(serviceId);
    if (state !== undefined) last = state;
    if (state === undefined || (previousContainerId !== null && state.containerId === previousContainerId)) continue;
    const replaced = seen !== null && state.containerId !== null && state.containerId !== seen;
    // A replacement that never restarted and has no exit code was restarted by someone else (another
    // apply writing the same service, audit L6), not a crash: follow the new container.
    if (replaced && state.restartCount === 0 && state.lastExitCode === null) {
      seen = state.containerId;
      if (state.state === "running" && ready(state)) return { containerId: state.containerId! };
      continue;
    }
    const crashed = state.restartCount > 0 || replaced;
    if (crashed) {
      const code = state.lastExitCode === null ? "unknown" : String(state.lastExitCode);
      const headline = `${name} exited before it was live: exit code ${code}, ${state.restartCount} restart${state.restartCount === 1 ? "" : "s"} (state ${state.state})`;
      // A restarting container kept its id; a replaced one is the container seen before.
      const crashedId = state.restartCount > 0 ? (state.containerId ?? seen) : seen;
      const withError = `${headline}${state.lastStartError ? `; last start error: ${state.lastStartError}` : ""}`;
      const message = await withLogTail(withError, crashedId, options.logs);
      // Its last log lines are in the message when they could be read: no need to send the user elsewhere.
      const hint = message.startsWith(`${withError}\n`) ? "the container crashes on start: its last log lines are shown above; fix the cause and apply again" : "the container crashes on start; check its logs in the room (meshagent room service describe)";
      throw new MeshdeployError("E_WAIT", message, { hint });
    }
    seen ??= state.containerId;
    // 0.45.9+: running is not live until the liveness port answers (the 0.50.1 CLI's wait).
    if (state.containerId !== null && state.state === "running" && ready(state)) return { containerId: state.containerId };
  }
}

/** Why the wait is still waiting: never running, or running and a liveness port not ready. */
function stillWhat(state: ServiceState | undefined, seen: string | null): string {
  if (state?.state === "running") {
    const port = state.ports.find((p) => p.liveness !== null && p.livenessStatus !== "ready" && p.livenessStatus !== "not_configured");
    if (port !== undefined) return ` (running, but port ${port.num} liveness ${port.liveness} is ${port.livenessStatus}${port.lastError ? `: ${port.lastError}` : ""})`;
  }
  return seen ? ` (container ${seen} never reached running)` : "";
}

/** What the server says about the start (0.45+): `last_start_error` and the newest events. */
export function serverNotes(state: ServiceState | undefined): string[] {
  if (state === undefined) return [];
  const notes: string[] = [];
  if (state.lastStartError) notes.push(`  last start error: ${state.lastStartError}`);
  for (const event of state.events.slice(-3)) notes.push(`  event: ${event.type} ${event.reason}: ${event.message}${event.count > 1 ? ` (×${event.count})` : ""}`);
  return notes;
}

async function withLogTail(headline: string, containerId: string | null, logs: ContainerLogFetcher | undefined): Promise<string> {
  if (logs === undefined) return headline;
  const lines = containerId === null ? [] : await logs(containerId, CRASH_LOG_LINES).catch((): string[] => []);
  if (lines.length === 0) return `${headline} (container logs unavailable)`;
  return [headline, ...quotedLines(lines.slice(-CRASH_LOG_LINES).map(stripCriPrefix))].join("\n");
}
