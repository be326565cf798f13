// Checks on what the platform answers, so a surprising payload is a clear E_API_PAYLOAD error
// naming the request instead of a TypeError three modules later.
import { ApiError } from "../errors.js";
import type { RoutePath } from "../model/route-spec.js";
import type { LiveService, Route } from "../model/service-spec.js";

function payloadError(where: string, what: string): ApiError {
  const [method = "GET", path = where] = where.split(" ", 2);
  return new ApiError("E_API_PAYLOAD", { method, path, status: null, serverMessage: null, message: `${where}: unexpected answer: ${what}` });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export function stringField(json: unknown, key: string, where: string): string {
  const value = isObject(json) ? json[key] : undefined;
  if (typeof value !== "string" || value === "") throw payloadError(where, `expected a string "${key}"`);
  return value;
}

/** A string, or null when the key is absent or null; anything else is a payload error. */
export function optionalStringField(json: unknown, key: string, where: string): string | null {
  const value = isObject(json) ? json[key] : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value === "") throw payloadError(where, `expected a string "${key}" or null`);
  return value;
}

export function parseServices(json: unknown, where: string): LiveService[] {
  const list = isObject(json) ? json["services"] : undefined;
  if (!Array.isArray(list)) throw payloadError(where, `expected {"services": [...]}`);
  return list.map((item, i) => {
    const metadata = isObject(item) ? item["metadata"] : undefined;
    if (!isObject(item) || typeof item["id"] !== "string" || !isObject(metadata) || typeof metadata["name"] !== "string") {
      throw payloadError(where, `services[${i}] has no id or metadata.name`);
    }
    return item as unknown as LiveService;
  });
}

export function parseRoutes(json: unknown, where: string): { routes: Route[]; total: number } {
  const list = isObject(json) ? json["routes"] : undefined;
  if (!Array.isArray(list)) throw payloadError(where, `expected {"routes": [...]}`);
  const routes = list.map((item, i) => parseRoute(item, where, `routes[${i}]`));
  const total = isObject(json) && typeof json["total"] === "number" ? json["total"] : routes.length;
  return { routes, total };
}

/** `GET …/routes/{domain}` → `{route: …}` in either shape. */
export function parseRouteAnswer(json: unknown, where: string): Route | null {
  const route = isObject(json) ? json["route"] : undefined;
  return route === undefined || route === null ? null : parseRoute(route, where, "route");
}

/**
 * One route answer, legacy flat `{domain, room_name, port, annotations}` (0.39) or `{domain, spec:
 * RouteSpec}` (0.40.3+, what the 0.50.1 `Route` model dumps even for a legacy input), as the flat
 * Route; a spec answer keeps its paths and backend in `shape`.
 */
export function parseRoute(item: unknown, where: string, what: string): Route {
  if (!isObject(item)) throw payloadError(where, `${what} is not an object`);
  const spec = item["spec"];
  if (spec === undefined || spec === null) {
    if (typeof item["domain"] !== "string" || typeof item["room_name"] !== "string") throw payloadError(where, `${what} has no domain or room_name`);
    return { domain: item["domain"], room_name: item["room_name"], port: String(item["port"] ?? ""), annotations: stringMap(item["annotations"]) };
  }
  if (!isObject(spec)) throw payloadError(where, `${what}.spec is not an object`);
  const domain = typeof item["domain"] === "string" ? item["domain"] : spec["domain"];
  const backend = isObject(spec["backend"]) ? spec["backend"] : {};
  const room = isObject(backend["room"]) && typeof backend["room"]["name"] === "string" ? backend["room"]["name"] : null;
  const agent = isObject(backend["agent"]) && typeof backend["agent"]["name"] === "string" ? backend["agent"]["name"] : null;
  if (typeof domain !== "string" || (room === null && agent === null)) throw payloadError(where, `${what} has no domain or backend room/agent name`);
  const paths = (Array.isArray(spec["paths"]) ? spec["paths"] : []).map((p, i): RoutePath => {
    if (!isObject(p) || typeof p["path"] !== "string") throw payloadError(where, `${what}.spec.paths[${i}] has no path`);
    const target = p["targetPort"];
    return {
      path: p["path"],
      pathType: typeof p["pathType"] === "string" ? p["pathType"] : "prefix",
      targetPort: typeof target === "string" || typeof target === "number" ? target : null,
      content: p["targetContent"] !== undefined && p["targetContent"] !== null,
      stripPrefix: p["stripPrefix"] === true,
    };
  });
  // The port of "/" (else of the first port path), like the 0.50.1 `Route.port` property [INFERRED].
  const portPath = paths.find((p) => p.path === "/" && p.targetPort !== null) ?? paths.find((p) => p.targetPort !== null);
  const metadata = isObject(spec["metadata"]) ? spec["metadata"] : {};
  return { domain, room_name: room ?? "", port: portPath ? String(portPath.targetPort) : "", annotations: stringMap(metadata["annotations"]), shape: { paths, agent } };
}

function stringMap(value: unknown): Record<string, string> {
  return (isObject(value) ? value : {}) as Record<string, string>;
}
