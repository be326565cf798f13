// The 0.50.1 RouteSpec (meshagent-api@6d950a5 specs/service.py `RouteSpec`, `RoutePathSpec`,
// `RouteBackendSpec`, `RouteContentSpec`; every model extra="forbid"), restated: validation with
// pydantic's wording, the `model_dump(mode="json")` the server would store and answer, and the
// legacy flat route ↔ RouteSpec conversions of `RouteSpec.migrate_legacy_route` and `Route.port`.
// Checked against the `routes` section of /work/shared/meshagent/spec-vectors-0.50.1.json.
// Pure: no I/O, never mutates its input.
import type { Json, JsonObject } from "../model/service-spec.js";
import type { SpecIssue } from "../model/spec-model.js";

export type RouteSpecResult = { ok: true; spec: JsonObject } | { ok: false; issues: SpecIssue[] };

const EXTRA = "Extra inputs are not permitted";

/** `RouteSpec.model_validate(value).model_dump(mode="json")`, or pydantic's issues. */
export function validateRouteSpec(value: unknown): RouteSpecResult {
  const issues: SpecIssue[] = [];
  const spec = routeSpec(value, issues);
  return issues.length === 0 && spec !== null ? { ok: true, spec } : { ok: false, issues };
}

/** The RouteSpec of a legacy flat route (`migrate_legacy_route`): one "/" prefix path to the port. */
export function routeSpecOfLegacy(route: { domain: string; room_name: string; port: string; annotations: Record<string, string> }): JsonObject {
  return {
    version: "v1",
    kind: "Route",
    metadata: { name: route.domain, annotations: { ...route.annotations } },
    domain: route.domain,
    backend: { room: { name: route.room_name }, agent: null },
    paths: [{ path: "/", pathType: "prefix", targetPort: route.port }],
  };
}

/** The legacy view of a RouteSpec, as the 0.50.1 `Route` properties derive it. */
export function legacyOfRouteSpec(spec: JsonObject): { room_name: string; port: string; annotations: Record<string, string> } {
  const backend = spec.backend as JsonObject;
  const room = backend.room as JsonObject | null;
  const first = (spec.paths as JsonObject[])[0];
  const target = first?.targetPort;
  return {
    room_name: room === null ? "" : String(room.name),
    port: target === undefined || target === null ? "" : String(target),
    annotations: { ...((spec.metadata as JsonObject).annotations as Record<string, string>) },
  };
}

function routeSpec(value: unknown, issues: SpecIssue[]): JsonObject | null {
  if (!isObject(value)) return fail(issues, "", "Input should be a valid dictionary or instance of RouteSpec");
  forbid(value, ["version", "kind", "metadata", "domain", "backend", "paths"], "", issues);
  const before = issues.length;
  const version = literal(value, "version", ["v1"], "v1", "", issues);
  const kind = literal(value, "kind", ["Route"], "Route", "", issues);
  const metadata = required(value, "metadata", "", issues) ? routeMetadata(value.metadata, "metadata", issues) : null;
  const domain = required(value, "domain", "", issues) ? str(value.domain, "domain", issues) : null;
  const backend = required(value, "backend", "", issues) ? routeBackend(value.backend, "backend", issues) : null;
  let paths: JsonObject[] = [];
  if (has(value, "paths")) {
    if (!Array.isArray(value.paths)) fail(issues, "paths", "Input should be a valid list");
    else paths = value.paths.map((item, index) => routePath(item, `paths[${index}]`, issues)).filter((item): item is JsonObject => item !== null);
  }
  if (issues.length > before || metadata === null || domain === null || backend === null) return null;
  if (backend.room !== null && paths.length === 0) return fail(issues, "", "Value error, RouteSpec room backend requires at least one path");
  if (backend.agent !== null && paths.length !== 0) return fail(issues, "", "Value error, RouteSpec agent backend does not support paths");
  return { version, kind, metadata, domain, backend, paths };
}

function routeMetadata(value: unknown, at: string, issues: SpecIssue[]): JsonObject | null {
  if (!isObject(value)) return fail(issues, at, "Input should be a valid dictionary or instance of RouteMetadata");
  forbid(value, ["name", "annotations"], at, issues);
  const name = required(value, "name", at, issues) ? str(value.name, `${at}.name`, issues) : null;
  const annotations: Record<string, string> = {};
  if (has(value, "annotations")) {
    if (!isObject(value.annotations)) fail(issues, `${at}.annotations`, "Input should be a valid dictionary");
    else {
      for (const [key, item] of Object.entries(value.annotations)) {
        if (typeof item === "string") annotations[key] = item;
        else fail(issues, `${at}.annotations.${key}`, "Input should be a valid string");
      }
    }
  }
  return name === null ? null : { name, annotations };
}

function routeBackend(value: unknown, at: string, issues: SpecIssue[]): { room: JsonObject | null; agent: JsonObject | null } | null {
  if (!isObject(value)) return fail(issues, at, "Input should be a valid dictionary or instance of RouteBackendSpec");
  forbid(value, ["room", "agent"], at, issues);
  const before = issues.length;
  const target = (key: "room" | "agent"): JsonObject | null => {
    const item = value[key];
    if (item === undefined || item === null) return null;
    if (!isObject(item)) return fail(issues, `${at}.${key}`, `Input should be a valid dictionary or instance of Route${key === "room" ? "Room" : "Agent"}BackendSpec`);
    forbid(item, ["name"], `${at}.${key}`, issues);
    const name = required(item, "name", `${at}.${key}`, issues) ? str(item.name, `${at}.${key}.name`, issues) : null;
    return name === null ? null : { name };
  };
  const room = target("room");
  const agent = target("agent");
  if (issues.length > before) return null;
  if ((room === null) === (agent === null)) return fail(issues, at, "Value error, RouteSpec backend requires exactly one of room or agent");
  return { room, agent };
}

function routePath(value: unknown, at: string, issues: SpecIssue[]): JsonObject | null {
  if (!isObject(value)) return fail(issues, at, "Input should be a valid dictionary or instance of RoutePathSpec");
  forbid(value, ["path", "pathType", "stripPrefix", "targetPort", "targetContent"], at, issues);
  const before = issues.length;
  let path = "/";
  if (has(value, "path")) {
    const raw = str(value.path, `${at}.path`, issues);
    if (raw !== null && !raw.startsWith("/")) fail(issues, `${at}.path`, "Value error, RouteSpec paths must start with /");
    path = raw ?? "/";
  }
  const pathType = literal(value, "pathType", ["prefix", "exact"], "prefix", at, issues);
  const stripPrefix = bool(value, "stripPrefix", false, at, issues);
  let targetPort: string | number | null = null;
  if (has(value, "targetPort") && value.targetPort !== null) {
    const raw = value.targetPort;
    if (typeof raw === "string") {
      if (raw.trim() === "") fail(issues, `${at}.targetPort`, "Value error, RouteSpec targetPort must not be empty");
      targetPort = raw;
    } else if (typeof raw === "number" && Number.isInteger(raw)) targetPort = raw;
    else fail(issues, `${at}.targetPort`, "Input should be a valid string");
  }
  const targetContent = has(value, "targetContent") && value.targetContent !== null ? routeContent(value.targetContent, `${at}.targetContent`, issues) : null;
  if (issues.length > before) return null;
  if ((targetPort === null) === (targetContent === null)) return fail(issues, at, "Value error, RouteSpec paths require exactly one of targetPort or targetContent");
  if (targetContent !== null && stripPrefix) {
    return fail(issues, at, "Value error, RouteSpec content paths do not support stripPrefix; the route path is always removed");
  }
  // The model_serializer drops stripPrefix when false and the target that is not set.
  const out: JsonObject = { path, pathType };
  if (stripPrefix) out.stripPrefix = true;
  if (targetPort !== null) out.targetPort = targetPort;
  if (targetContent !== null) out.targetContent = targetContent;
  return out;
}

/** RouteContentSpec. CORS rules are checked for shape only (an object each), and kept as sent. */
function routeContent(value: unknown, at: string, issues: SpecIssue[]): JsonObject | null {
  if (!isObject(value)) return fail(issues, at, "Input should be a valid dictionary or instance of RouteContentSpec");
  forbid(value, ["subpath", "cors", "index", "iap", "compression"], at, issues);
  let subpath = "";
  if (has(value, "subpath")) {
    const raw = str(value.subpath, `${at}.subpath`, issues);
    subpath = (raw ?? "").trim().replace(/^\/+|\/+$/g, "");
    if (subpath.split("/").some((part) => part === "." || part === "..")) fail(issues, `${at}.subpath`, "Value error, RouteSpec content subpath cannot contain dot segments");
  }
  let cors: Json[] = [];
  if (has(value, "cors")) {
    if (!Array.isArray(value.cors)) fail(issues, `${at}.cors`, "Input should be a valid list");
    else cors = value.cors.map((rule, index) => (isObject(rule) ? (structuredClone(rule) as JsonObject) : (fail(issues, `${at}.cors[${index}]`, "Input should be a valid dictionary or instance of RouteCorsRule"), null)));
  }
  const index = bool(value, "index", false, at, issues);
  const iap = bool(value, "iap", false, at, issues);
  const compression = literal(value, "compression", ["brotli", "gzip", "none"], "brotli", at, issues);
  return { subpath, cors, index, iap, compression };
}

// ---- field helpers -------------------------------------------------------------------------------

function forbid(value: Record<string, unknown>, known: readonly string[], at: string, issues: SpecIssue[]): void {
  for (const key of Object.keys(value)) if (!known.includes(key) && value[key] !== undefined) fail(issues, join(at, key), EXTRA);
}

function required(value: Record<string, unknown>, key: string, at: string, issues: SpecIssue[]): boolean {
  if (has(value, key)) return true;
  fail(issues, join(at, key), "Field required");
  return false;
}

function str(value: unknown, at: string, issues: SpecIssue[]): string | null {
  return typeof value === "string" ? value : fail(issues, at, "Input should be a valid string");
}

function literal(value: Record<string, unknown>, key: string, choices: readonly string[], fallback: string, at: string, issues: SpecIssue[]): string {
  if (!has(value, key)) return fallback;
  const raw = value[key];
  if (typeof raw === "string" && choices.includes(raw)) return raw;
  const quoted = choices.map((choice) => `'${choice}'`);
  const wording = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
  fail(issues, join(at, key), `Input should be ${wording}`);
  return fallback;
}

function bool(value: Record<string, unknown>, key: string, fallback: boolean, at: string, issues: SpecIssue[]): boolean {
  if (!has(value, key)) return fallback;
  if (typeof value[key] === "boolean") return value[key] as boolean;
  fail(issues, join(at, key), "Input should be a valid boolean");
  return fallback;
}

function fail(issues: SpecIssue[], path: string, message: string): null {
  issues.push({ path, message });
  return null;
}

function join(at: string, key: string): string {
  return at === "" ? key : `${at}.${key}`;
}

function has(value: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(value, key) && value[key] !== undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
