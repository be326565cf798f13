// Wait until a written service runs a new container, as `meshagent deploy --wait` does
// (cli@0.39.9 image.py `_wait_for_deployed_service_live`): ignore the container that ran before
// the write; fail fast when the new container restarts or is replaced (a crash loop), with its
// exit code; keep waiting while it starts; give up after the timeout.
import { MeshdeployError } from "../errors.js";
import type { Clock, StatePoller } from "./state-poller.js";

export interface WaitOptions {
  timeoutMs: number;
  clock: Clock;
}

export interface Live {
  containerId: string;
}

export async function waitLive(poller: StatePoller, serviceId: string, name: string, previousContainerId: string | null, options: WaitOptions): Promise<Live> {
  const deadline = options.clock.now() + options.timeoutMs;
  let seen: string | null = null;
  for (;;) {
    if (options.clock.now() > deadline) {
      throw new MeshdeployError("E_WAIT", `${name} did not start within ${Math.round(options.timeoutMs / 1000)} s${seen ? ` (container ${seen} never reached running)` : ""}`, {
        hint: "raise --wait-timeout, or pass --no-wait to return as soon as the service is written",
      });
    }
    const state = (await poller.next()).get(serviceId);
    if (state === undefined || (previousContainerId !== null && state.containerId === previousContainerId)) continue;
    const crashed = state.restartCount > 0 || (seen !== null && state.containerId !== null && state.containerId !== seen);
    if (crashed) {
      const code = state.lastExitCode === null ? "unknown" : String(state.lastExitCode);
      throw new MeshdeployError("E_WAIT", `${name} exited before it was live: exit code ${code}, ${state.restartCount} restart${state.restartCount === 1 ? "" : "s"} (state ${state.state})`, {
        hint: "the container crashes on start; check its logs in the room (meshagent room service describe)",
      });
    }
    seen ??= state.containerId;
    if (state.containerId !== null && state.state === "running") return { containerId: state.containerId };
  }
}
