// Room RPC answers → plain data, for both generations: `services.list` service_states (0.39.9
// fields, plus the 0.45+ `status.ports`, `last_start_error`, `events`) and `containers.list_builds`
// (plus 0.42.2 `published_images`). Tolerant of missing fields; pure.
import type { BuildJob, PortState, PublishedImage, ServiceEvent, ServiceState } from "./room-api.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

export function parseServiceStates(json: unknown): Map<string, ServiceState> {
  const states = new Map<string, ServiceState>();
  for (const item of list(isObject(json) ? json["service_states"] : null)) {
    const id = str(item["service_id"]);
    if (id === null) continue;
    states.set(id, {
      serviceId: id,
      state: str(item["state"]) ?? "unknown",
      containerId: str(item["container_id"]),
      restartCount: num(item["restart_count"]) ?? 0,
      lastExitCode: num(item["last_exit_code"]),
      ports: list(isObject(item["status"]) ? item["status"]["ports"] : null).map(portState),
      lastStartError: str(item["last_start_error"]),
      events: list(item["events"]).map(serviceEvent),
    });
  }
  return states;
}

function portState(port: Json): PortState {
  return { num: num(port["num"]) ?? "*", liveness: str(port["liveness"]), livenessStatus: str(port["liveness_status"]) ?? "not_configured", lastError: str(port["last_error"]) };
}

function serviceEvent(event: Json): ServiceEvent {
  return { type: str(event["type"]) ?? "Normal", reason: str(event["reason"]) ?? "", message: str(event["message"]) ?? "", count: num(event["count"]) ?? 1 };
}

export function parseBuildJobs(json: unknown): BuildJob[] {
  return list(isObject(json) ? json["builds"] : null).flatMap((build) => {
    const id = str(build["id"]);
    if (id === null) return [];
    const publishedImages: PublishedImage[] = list(build["published_images"]).map((image) => ({ tag: str(image["tag"]), digest: str(image["digest"]) }));
    return [{ id, tag: str(build["tag"]), status: str(build["status"]) ?? "unknown", publishedImages }];
  });
}
