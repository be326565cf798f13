// Checks on what the platform answers, so a surprising payload is a clear E_API_PAYLOAD error
// naming the request instead of a TypeError three modules later.
import { ApiError } from "../errors.js";
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
  const routes = list.map((item, i) => {
    if (!isObject(item) || typeof item["domain"] !== "string" || typeof item["room_name"] !== "string") throw payloadError(where, `routes[${i}] has no domain or room_name`);
    return { domain: item["domain"], room_name: item["room_name"], port: String(item["port"] ?? ""), annotations: (isObject(item["annotations"]) ? item["annotations"] : {}) as Record<string, string> };
  });
  const total = isObject(json) && typeof json["total"] === "number" ? json["total"] : routes.length;
  return { routes, total };
}
