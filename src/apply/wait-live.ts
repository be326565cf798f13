// Wait until a written service runs a new container, as `meshagent deploy --wait` does
// (cli@0.39.9 image.py `_wait_for_deployed_service_live`): ignore the container that ran before
// the write; fail fast when the new container restarts or is replaced (a crash loop), with its
// exit code and its last log lines; keep waiting while it starts; give up after the timeout.
// The room is reached only through the poller and the log fetcher handed in.
import { MeshdeployError } from "../errors.js";
import { quotedLines, stripCriPrefix } from "./log-tail.js";
import type { ServiceState } from "../platform/room-api.js";
import type { Clock, StatePoller } from "./state-poller.js";

/** How many of a crashed container's newest log lines go into the error. */
export const CRASH_LOG_LINES = 10;

/**
 * Failed polls in a row before the wait gives up. A poll is a read shared by every service
 * waiting in the room: one transient failure must not fail them all (the next poll is an
 * interval later, so this bounds the extra wait at a few seconds).
 */
export const MAX_POLL_FAILURES = 5;

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
  let failures = 0;
  for (;;) {
    if (options.clock.now() > deadline) {
      throw new MeshdeployError("E_WAIT", `${name} did not start within ${Math.round(options.timeoutMs / 1000)} s${seen ? ` (container ${seen} never reached running)` : ""}`, {
        hint: "raise --wait-timeout, or pass --no-wait to return as soon as the service is written",
      });
    }
    let snapshot: Map<string, ServiceState>;
    try {
      snapshot = await poller.next();
      failures = 0;
    } catch (error) {
      failures += 1;
      if (failures >= MAX_POLL_FAILURES || options.signal?.aborted) throw error;
      continue;
    }
    const state = snapshot.get(serviceId);
    if (state === undefined || (previousContainerId !== null && state.containerId === previousContainerId)) continue;
    const crashed = state.restartCount > 0 || (seen !== null && state.containerId !== null && state.containerId !== seen);
    if (crashed) {
      const code = state.lastExitCode === null ? "unknown" : String(state.lastExitCode);
      const headline = `${name} exited before it was live: exit code ${code}, ${state.restartCount} restart${state.restartCount === 1 ? "" : "s"} (state ${state.state})`;
      // A restarting container kept its id; a replaced one is the container seen before.
      const crashedId = state.restartCount > 0 ? (state.containerId ?? seen) : seen;
      const message = await withLogTail(headline, crashedId, options.logs);
      // Its last log lines are in the message when they could be read: no need to send the user elsewhere.
      const hint = message.includes("\n") ? "the container crashes on start: its last log lines are shown above; fix the cause and apply again" : "the container crashes on start; check its logs in the room (meshagent room service describe)";
      throw new MeshdeployError("E_WAIT", message, { hint });
    }
    seen ??= state.containerId;
    if (state.containerId !== null && state.state === "running") return { containerId: state.containerId };
  }
}

async function withLogTail(headline: string, containerId: string | null, logs: ContainerLogFetcher | undefined): Promise<string> {
  if (logs === undefined) return headline;
  const lines = containerId === null ? [] : await logs(containerId, CRASH_LOG_LINES).catch((): string[] => []);
  if (lines.length === 0) return `${headline} (container logs unavailable)`;
  return [headline, ...quotedLines(lines.slice(-CRASH_LOG_LINES).map(stripCriPrefix))].join("\n");
}
