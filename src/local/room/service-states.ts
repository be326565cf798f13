// The 0.50.1 entry of `services.list` `service_states` (api@6d950a5 room_server_client.py
// `ServiceRuntimeState`, `ServicePortRuntimeState`, `ServiceRuntimeEvent`): the 0.39.9 fields plus
// `last_start_error(_at)`, `status.ports[]` and `events`. The local room runs nothing, so liveness
// is emulated: a port with a `liveness` path is `not_ready` until its container has been running
// for `livenessDelayMs`, then `ready`; a port without one is `not_configured`. A start never fails
// here, so `last_start_error` is always null. Pure.
import type { ServiceRuntimeExtras, ServiceRuntimeState } from "../runtime/service-lifecycle.js";
import type { ServiceRecord } from "../state.js";

export type LivenessStatus = "not_configured" | "not_ready" | "ready";

export interface PortRuntimeState {
  num: number | "*";
  liveness: string | null;
  liveness_status: LivenessStatus;
  last_checked_at: number | null;
  last_error: string | null;
}

/** `state` with the 0.50.1 fields; `now` in Unix seconds. */
export function serviceState050(
  service: ServiceRecord,
  state: ServiceRuntimeState,
  extras: ServiceRuntimeExtras,
  now: number,
  livenessDelayMs: number,
): Record<string, unknown> {
  const runningFor = state.state === "running" && extras.running_since !== null ? now - extras.running_since : null;
  return {
    ...state,
    last_start_error: null,
    last_start_error_at: null,
    status: { ports: portsOf(service).map((port) => portState(port, runningFor, now, livenessDelayMs)) },
    events: extras.events,
  };
}

function portState(port: { num: number | "*"; liveness: string | null }, runningFor: number | null, now: number, delayMs: number): PortRuntimeState {
  if (port.liveness === null) return { ...port, liveness_status: "not_configured", last_checked_at: null, last_error: null };
  // Checks start once the container runs; until then nothing has been checked.
  if (runningFor === null) return { ...port, liveness_status: "not_ready", last_checked_at: null, last_error: null };
  if (runningFor * 1000 < delayMs) {
    return { ...port, liveness_status: "not_ready", last_checked_at: now, last_error: `GET ${port.liveness} has not answered 200 yet (the local room reports ready ${delayMs} ms after the container runs)` };
  }
  return { ...port, liveness_status: "ready", last_checked_at: now, last_error: null };
}

function portsOf(service: ServiceRecord): { num: number | "*"; liveness: string | null }[] {
  if (!Array.isArray(service.ports)) return [];
  return service.ports.flatMap((port) => {
    if (typeof port !== "object" || port === null || Array.isArray(port)) return [];
    const num = typeof port.num === "number" ? port.num : "*";
    const liveness = typeof port.liveness === "string" && port.liveness !== "" ? port.liveness : null;
    return [{ num, liveness }];
  });
}
