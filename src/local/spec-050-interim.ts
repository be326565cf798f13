// TODO(model-050): replace with the 0.50.1 table. This whole file is a stand-in for the MeshAgent
// 0.50.1 pydantic model table (being written in another branch): it validates and dumps a 0.50.1
// ServiceSpec with the 0.39.9 interpreter (model/spec-model.ts) plus the explicit 0.45–0.50 rules
// the local room's tests need, read from meshagent-api@6d950a5 specs/service.py and checked
// against /work/shared/meshagent/spec-vectors-0.50.1.json:
//   * removed keys are extra inputs: `container.secrets`, `container.storage.project`,
//     `…environment[i].secret.identity` ("Extra inputs are not permitted", also when null);
//   * `SecretValue` is `{id}` (forbid), used by `environment[i].secret` and `pull_secret`;
//   * `ContainerSpec` validator: "Value error, container.run_as is required when using SecretValue" at `container`;
//   * new fields, validated here and put back in model order on dump: `enabled` (default true),
//     `container.template` ("agent" | "none", default "agent"), `container.run_as` (ServiceRunAs),
//     `container.storage.volumes`, `ports[i].host_port`, `…endpoints[j].mcp.use_proxy_secret`.
// Not covered (the table will): the ApiScope changes of 0.45 (`sqlite`, an empty forbid `SecretsGrant`).
// How it works: the 0.50.1-only keys are taken out of a copy of the body, the rest goes through the
// 0.39.9 interpreter, and the keys are put back. Pure: never mutates its input.
import type { Json, JsonObject, ServiceSpec } from "../model/service-spec.js";
import { dumpServiceSpec, validateServiceSpec, type SpecIssue } from "../model/spec-model.js";

const EXTRA = "Extra inputs are not permitted";
const RUN_AS_REQUIRED = "Value error, container.run_as is required when using SecretValue";

/** Key order of the 0.50.1 models (declaration order), for the keys this file puts back. */
const SERVICE_ORDER = ["version", "kind", "id", "enabled", "metadata", "agents", "ports", "files", "container", "external"];
const CONTAINER_ORDER = ["image", "run_as", "template", "command", "working_dir", "pull_secret", "environment", "storage", "on_demand", "writable_root_fs", "private"];
const STORAGE_ORDER = ["room", "volumes", "images", "files", "empty_dirs", "configs"];
const PORT_ORDER = ["num", "host_port", "type", "endpoints", "liveness", "published", "public", "annotations"];

interface Taken {
  /** A 0.39.9-shaped copy of the body: what the 0.39.9 interpreter sees. */
  legacy: Record<string, unknown>;
  issues: SpecIssue[];
  enabled: boolean;
  container: ContainerExtras | null;
  ports: Map<number, PortExtras>;
}

interface ContainerExtras {
  runAs: JsonObject | null;
  /** null: no template (an explicit null overrides the "agent" default). */
  template: string | null;
  pullSecret: JsonObject | null;
  volumes: { present: boolean; value: JsonObject[] | null };
  /** `environment[i].secret` by index (non-null ones only). */
  secrets: Map<number, JsonObject>;
}

interface PortExtras {
  hostPort: { present: boolean; value: number | null };
  /** `endpoints[j].mcp.use_proxy_secret` by endpoint index. */
  proxySecrets: Map<number, string | null>;
}

/** [] when 0.50.1 `ServiceSpec.model_validate(body)` would succeed (as far as this stand-in knows). */
export function validateSpec050(body: Record<string, unknown>): SpecIssue[] {
  const taken = take(body);
  const issues = [...validateServiceSpec(taken.legacy), ...taken.issues];
  const containerClean = !issues.some((issue) => issue.path === "container" || issue.path.startsWith("container."));
  if (containerClean && taken.container !== null && taken.container.secrets.size > 0 && taken.container.runAs === null) {
    issues.push({ path: "container", message: RUN_AS_REQUIRED });
  }
  return issues;
}

/** 0.50.1 `model_dump(mode="json", exclude_none=True, exclude={"id"})` of a body that validated. */
export function normaliseSpec050(body: Record<string, unknown>): JsonObject {
  const taken = take(body);
  const out = dumpServiceSpec(taken.legacy as ServiceSpec, { excludeNone: true, excludeId: true });
  out.enabled = taken.enabled;
  const container = out.container;
  if (taken.container !== null && isObject(container)) putContainer(container, taken.container);
  if (Array.isArray(out.ports)) {
    out.ports = out.ports.map((port, index) => {
      const extras = taken.ports.get(index);
      return isObject(port) && extras !== undefined ? putPort(port, extras) : port;
    });
  }
  return ordered(out, SERVICE_ORDER);
}

function putContainer(container: JsonObject, extras: ContainerExtras): void {
  if (extras.runAs !== null) container.run_as = extras.runAs;
  if (extras.template !== null) container.template = extras.template;
  if (extras.pullSecret !== null) container.pull_secret = extras.pullSecret;
  const environment = container.environment;
  if (Array.isArray(environment)) {
    for (const [index, secret] of extras.secrets) {
      const entry = environment[index];
      if (isObject(entry)) entry.secret = secret;
    }
  }
  if (extras.volumes.present && extras.volumes.value !== null) {
    const storage = isObject(container.storage) ? container.storage : {};
    storage.volumes = extras.volumes.value;
    container.storage = ordered(storage, STORAGE_ORDER);
  }
  const reordered = ordered(container, CONTAINER_ORDER);
  for (const key of Object.keys(container)) delete container[key];
  Object.assign(container, reordered);
}

function putPort(port: JsonObject, extras: PortExtras): JsonObject {
  if (extras.hostPort.value !== null) port.host_port = extras.hostPort.value;
  const endpoints = port.endpoints;
  if (Array.isArray(endpoints)) {
    for (const [index, proxy] of extras.proxySecrets) {
      const mcp = isObject(endpoints[index]) ? (endpoints[index] as JsonObject).mcp : undefined;
      if (isObject(mcp) && proxy !== null) mcp.use_proxy_secret = proxy;
    }
  }
  return ordered(port, PORT_ORDER);
}

// ---- taking the 0.50.1-only keys out --------------------------------------------------------------

function take(body: Record<string, unknown>): Taken {
  const legacy = structuredClone(body);
  const issues: SpecIssue[] = [];
  let enabled = true;
  if (has(legacy, "enabled")) {
    const value = legacy.enabled;
    delete legacy.enabled;
    if (typeof value === "boolean") enabled = value;
    else issues.push({ path: "enabled", message: "Input should be a valid boolean" });
  }
  const container = isObject(legacy.container) ? takeContainer(legacy.container, issues) : null;
  const ports = new Map<number, PortExtras>();
  if (Array.isArray(legacy.ports)) {
    legacy.ports.forEach((port: unknown, index: number) => {
      if (isObject(port)) ports.set(index, takePort(port, `ports[${index}]`, issues));
    });
  }
  return { legacy, issues, enabled, container, ports };
}

function takeContainer(container: Record<string, unknown>, issues: SpecIssue[]): ContainerExtras {
  if (has(container, "secrets")) {
    delete container.secrets;
    issues.push({ path: "container.secrets", message: EXTRA });
  }
  let template: string | null = "agent";
  if (has(container, "template")) {
    const value = container.template;
    delete container.template;
    if (value === null || value === "agent" || value === "none") template = value;
    else issues.push({ path: "container.template", message: "Input should be 'agent' or 'none'" });
  }
  let runAs: JsonObject | null = null;
  if (has(container, "run_as")) {
    const value = container.run_as;
    delete container.run_as;
    if (value !== null) runAs = takeRunAs(value, "container.run_as", issues);
  }
  let pullSecret: JsonObject | null = null;
  if (has(container, "pull_secret")) {
    const value = container.pull_secret;
    delete container.pull_secret;
    if (value !== null) pullSecret = takeSecretValue(value, "container.pull_secret", issues);
  }
  const secrets = new Map<number, JsonObject>();
  if (Array.isArray(container.environment)) {
    container.environment.forEach((entry: unknown, index: number) => {
      if (!isObject(entry) || !has(entry, "secret")) return;
      const value = entry.secret;
      delete entry.secret;
      if (value !== null) secrets.set(index, takeSecretValue(value, `container.environment[${index}].secret`, issues));
    });
  }
  const volumes: ContainerExtras["volumes"] = { present: false, value: null };
  if (isObject(container.storage)) {
    const storage = container.storage;
    if (has(storage, "project")) {
      delete storage.project;
      issues.push({ path: "container.storage.project", message: EXTRA });
    }
    if (has(storage, "volumes")) {
      const value = storage.volumes;
      delete storage.volumes;
      volumes.present = true;
      if (value === null) volumes.value = null;
      else if (!Array.isArray(value)) issues.push({ path: "container.storage.volumes", message: "Input should be a valid list" });
      else volumes.value = value.map((item, index) => takeVolume(item, `container.storage.volumes[${index}]`, issues));
    }
  }
  return { runAs, template, pullSecret, volumes, secrets };
}

function takePort(port: Record<string, unknown>, at: string, issues: SpecIssue[]): PortExtras {
  const hostPort: PortExtras["hostPort"] = { present: false, value: null };
  if (has(port, "host_port")) {
    const value = port.host_port;
    delete port.host_port;
    hostPort.present = true;
    if (value !== null) {
      if (typeof value !== "number" || !Number.isInteger(value)) issues.push({ path: `${at}.host_port`, message: "Input should be a valid integer" });
      else if (value <= 0) issues.push({ path: `${at}.host_port`, message: "Input should be greater than 0" });
      else hostPort.value = value;
    }
  }
  const proxySecrets = new Map<number, string | null>();
  if (Array.isArray(port.endpoints)) {
    port.endpoints.forEach((endpoint: unknown, index: number) => {
      const mcp = isObject(endpoint) ? endpoint.mcp : undefined;
      if (!isObject(mcp) || !has(mcp, "use_proxy_secret")) return;
      const value = mcp.use_proxy_secret;
      delete mcp.use_proxy_secret;
      if (value === null || typeof value === "string") proxySecrets.set(index, value);
      else issues.push({ path: `${at}.endpoints[${index}].mcp.use_proxy_secret`, message: "Input should be a valid string" });
    });
  }
  return { hostPort, proxySecrets };
}

/** ServiceRunAs (forbid): email trimmed and lower-cased, not empty; scopes trimmed, de-duplicated, empty ones dropped. */
function takeRunAs(value: unknown, at: string, issues: SpecIssue[]): JsonObject {
  if (!isObject(value)) {
    issues.push({ path: at, message: "Input should be a valid dictionary or instance of ServiceRunAs" });
    return {};
  }
  extraKeys(value, ["email", "scopes"], at, issues);
  let email = "";
  if (!has(value, "email")) issues.push({ path: `${at}.email`, message: "Field required" });
  else if (typeof value.email !== "string") issues.push({ path: `${at}.email`, message: "Input should be a valid string" });
  else {
    email = value.email.trim().toLowerCase();
    if (email === "") issues.push({ path: `${at}.email`, message: "Value error, run_as.email must not be empty" });
  }
  let scopes: string[] = ["secrets:proxy"];
  if (has(value, "scopes")) {
    const raw = value.scopes;
    if (!Array.isArray(raw)) {
      issues.push({ path: `${at}.scopes`, message: "Input should be a valid list" });
    } else {
      scopes = [];
      raw.forEach((scope, index) => {
        if (typeof scope !== "string") {
          issues.push({ path: `${at}.scopes[${index}]`, message: "Input should be a valid string" });
          return;
        }
        const trimmed = scope.trim();
        if (trimmed !== "" && !scopes.includes(trimmed)) scopes.push(trimmed);
      });
    }
  }
  return { email, scopes };
}

/** SecretValue (forbid): `{id}` only. */
function takeSecretValue(value: unknown, at: string, issues: SpecIssue[]): JsonObject {
  if (!isObject(value)) {
    issues.push({ path: at, message: "Input should be a valid dictionary or instance of SecretValue" });
    return {};
  }
  extraKeys(value, ["id"], at, issues);
  if (!has(value, "id")) issues.push({ path: `${at}.id`, message: "Field required" });
  else if (typeof value.id !== "string") issues.push({ path: `${at}.id`, message: "Input should be a valid string" });
  return typeof value.id === "string" ? { id: value.id } : {};
}

/** VolumeStorageMountSpec (forbid): `{name, path, subpath?, read_only = false}`. */
function takeVolume(value: unknown, at: string, issues: SpecIssue[]): JsonObject {
  if (!isObject(value)) {
    issues.push({ path: at, message: "Input should be a valid dictionary or instance of VolumeStorageMountSpec" });
    return {};
  }
  extraKeys(value, ["name", "path", "subpath", "read_only"], at, issues);
  const out: JsonObject = {};
  for (const key of ["name", "path"]) {
    if (!has(value, key)) issues.push({ path: `${at}.${key}`, message: "Field required" });
    else if (typeof value[key] !== "string") issues.push({ path: `${at}.${key}`, message: "Input should be a valid string" });
    else out[key] = value[key] as string;
  }
  if (has(value, "subpath") && value.subpath !== null) {
    if (typeof value.subpath !== "string") issues.push({ path: `${at}.subpath`, message: "Input should be a valid string" });
    else out.subpath = value.subpath;
  }
  out.read_only = false;
  if (has(value, "read_only")) {
    if (typeof value.read_only !== "boolean") issues.push({ path: `${at}.read_only`, message: "Input should be a valid boolean" });
    else out.read_only = value.read_only;
  }
  return out;
}

function extraKeys(value: Record<string, unknown>, known: readonly string[], at: string, issues: SpecIssue[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key) && value[key] !== undefined) issues.push({ path: `${at}.${key}`, message: EXTRA });
  }
}

// ---- helpers -------------------------------------------------------------------------------------

/** A copy with the keys of `order` first (those present, in that order), then the others as they were. */
function ordered(value: JsonObject, order: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of order) if (Object.hasOwn(value, key)) out[key] = value[key] as Json;
  for (const [key, item] of Object.entries(value)) if (!Object.hasOwn(out, key)) out[key] = item;
  return out;
}

/** A key that is present: pydantic counts a key with a null value as given (and as extra on a forbid model). */
function has(value: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(value, key) && value[key] !== undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
