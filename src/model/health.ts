// What "live" means for a declared service, from one `services.list` entry: the vocabulary of
// health that apply, watch, sync, `plan --health` and `status` share. Live is running and, where
// the server reports per-port liveness (0.45.9), the liveness port `ready` — as `meshagent deploy`
// 0.50.1 waits for it (platform-0.50.md E5). Pure: the states are read elsewhere.

export type Health = "healthy" | "starting" | "crashloop" | "exited" | "disabled" | "missing";

/** The fields of a service state that health looks at (platform/room-api.ts ServiceState). */
export interface StateView {
  state: string;
  containerId: string | null;
  restartCount: number;
  lastExitCode: number | null;
  ports: readonly { liveness: string | null; livenessStatus: string }[];
}

export interface HealthInput {
  /** false: the service is not in the room (never created, or gone). */
  exists: boolean;
  /** The live spec says `enabled: false` (0.49+). */
  disabled: boolean;
  /** undefined: the room reports no state for it (never started). */
  state: StateView | undefined;
}

/** States a container passes through on its way up; anything else not running has stopped. */
const STARTING = new Set(["starting", "pending", "created", "creating", "scheduled", "pulling"]);

export function classifyHealth(input: HealthInput): Health {
  if (!input.exists) return "missing";
  if (input.disabled) return "disabled";
  const state = input.state;
  if (state === undefined) return "starting";
  if (state.state === "running") return ready(state) ? "healthy" : "starting";
  if (state.state === "restarting") return "crashloop";
  if (STARTING.has(state.state)) return state.restartCount > 0 ? "crashloop" : "starting";
  return "exited";
}

/** Every port with a liveness path reports `ready`; no such port (or an older server): running is enough. */
export function ready(state: Pick<StateView, "ports">): boolean {
  return state.ports.every((port) => port.liveness === null || port.livenessStatus === "ready" || port.livenessStatus === "not_configured");
}

/** Health that fails a run: a crash loop, an exited container, a missing service. Starting fails only after the wait. */
export function isFailing(health: Health): boolean {
  return health === "crashloop" || health === "exited" || health === "missing";
}
