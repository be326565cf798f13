// The fields meshdeploy manages, flattened to `path → display value` leaves. Both sides of a
// comparison (desired spec and live spec) go through the same function after the same
// normalisation (dumpServiceSpec fills model defaults and drops nulls), so server-added defaults
// never show up as changes. Secret and token entries display as references, never values.
// Pure.
import { REQUEST_VALIDATION_METHOD, SERVICE_ID } from "./annotations.js";
import type { EnvironmentVariable, JsonObject, PortSpec, ServiceSpec } from "./service-spec.js";
import { apiScopePreset, dumpServiceSpec, specModelsFor, type ApiScopePreset, type SpecModels } from "./spec-model.js";
import { GENERATIONS } from "./platform.js";
import { stableStringify, sha256Hex } from "./stable-json.js";

export type ManagedView = ReadonlyMap<string, string>;

export type MountKind = "room" | "project" | "images" | "emptyDirs" | "volumes";

/** Every field meshdeploy can manage: for views that must show everything (a new service's additions). */
export const ALL_MOUNT_KINDS: ReadonlySet<MountKind> = new Set(["room", "project", "images", "emptyDirs", "volumes"]);

export interface ViewOptions {
  /** Include ports (only when the config declares them; otherwise live ports are not ours). */
  ports: boolean;
  /** Include the environment (only when the config declares env, secrets or token). */
  environment: boolean;
  /** The mount kinds to include (the ones the config declares). */
  mounts: ReadonlySet<MountKind>;
  /** The service's default identity (its name): identities equal to it are not displayed. */
  defaultIdentity: string;
  /** Include container.run_as, container.template, enabled (MeshAgent 0.45 / 0.41.4 / 0.49; only when declared). */
  runAs?: boolean;
  template?: boolean;
  enabled?: boolean;
}

/** The presets in every generation, computed once (immutable). */
const PRESETS: readonly [ApiScopePreset, JsonObject][] = GENERATIONS.flatMap((generation) =>
  (["agentDefault", "userDefault", "full"] as const).map((p): [ApiScopePreset, JsonObject] => [p, apiScopePreset(p, specModelsFor(generation))]),
);

/**
 * `role default`, the preset a scope equals, or `custom scope <hash>`. Compared structurally (as
 * equal canonical JSON would be): a plan labels every token variable on both sides, and only a
 * custom scope needs its canonical text.
 */
function scopeLabel(api: JsonObject | null | undefined): string {
  if (api === null || api === undefined) return "role default";
  const preset = PRESETS.find(([, scope]) => sameJson(scope, api))?.[0];
  return preset ?? `custom scope ${sha256Hex(stableStringify(api)).slice(0, 12)}`;
}

/** Equal canonical JSON (stableStringify) of two values, without writing either (nor allocating). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return stableStringify(a) === stableStringify(b);
  const arrays = Array.isArray(a);
  if (arrays !== Array.isArray(b)) return false;
  if (arrays) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(asItem(x[i]), asItem(y[i]))) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // The keys first, then the values: scopes of other presets differ in their grants (keys).
  let count = 0;
  for (const key in x) {
    if (!Object.hasOwn(x, key) || !isMember(key, x[key])) continue;
    if (!Object.hasOwn(y, key) || !isMember(key, y[key])) return false;
    count++;
  }
  for (const key in y) if (Object.hasOwn(y, key) && isMember(key, y[key])) count--;
  if (count !== 0) return false;
  for (const key in x) if (Object.hasOwn(x, key) && isMember(key, x[key]) && !sameJson(x[key], y[key])) return false;
  return true;
}

/** What JSON.stringify writes of an object: no undefined, function or symbol members (nor `__proto__`, see stable-json.ts). */
function isMember(key: string, value: unknown): boolean {
  return key !== "__proto__" && value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/** An array item as JSON.stringify writes it: undefined, a function or a symbol is null. */
function asItem(v: unknown): unknown {
  return v === undefined || typeof v === "function" || typeof v === "symbol" ? null : v;
}

function envLabel(variable: EnvironmentVariable, defaultIdentity: string): string {
  const as = (identity: string): string => (identity === defaultIdentity ? "" : ` as ${identity}`);
  // From 0.45 a secret belongs to the service account (run_as) and carries no identity.
  if (variable.secret) return `secret:${variable.secret.id}${variable.secret.identity === undefined ? "" : as(variable.secret.identity)}`;
  if (variable.token) {
    const role = variable.token.role && variable.token.role !== "agent" ? ` role ${variable.token.role}` : "";
    return `token:${scopeLabel(variable.token.api)}${role}${as(variable.token.identity)}`;
  }
  return variable.value ?? "";
}

function portLeaves(port: PortSpec, out: Map<string, string>): void {
  const at = `ports[${String(port.num)}]`;
  out.set(`${at}.type`, port.type ?? "http");
  if (port.liveness) out.set(`${at}.liveness`, port.liveness);
  if (port.published) out.set(`${at}.published`, "true");
  if (port.public) out.set(`${at}.public`, "true");
  const validation = port.annotations?.[REQUEST_VALIDATION_METHOD];
  if (validation !== undefined) out.set(`${at}.annotations.${REQUEST_VALIDATION_METHOD}`, validation);
}

function mountLeaves(kind: string, mounts: unknown, out: Map<string, string>): void {
  if (!Array.isArray(mounts)) return;
  for (const m of mounts as Record<string, unknown>[]) {
    const source = typeof m["image"] === "string" ? `${m["image"] as string}` : typeof m["name"] === "string" ? `${m["name"] as string}` : "";
    const sub = typeof m["subpath"] === "string" ? `${m["subpath"] as string}` : "";
    const from = [source, sub].filter(Boolean).join(" ");
    const mode = m["read_only"] ? "ro" : "rw";
    out.set(`container.storage.${kind}[${String(m["path"])}]`, from ? `${from} (${mode})` : mode);
  }
}

/** A spec normalised the way both sides are compared: model defaults filled, nulls and id dropped. */
export type NormalSpec = ServiceSpec & { readonly __normal: unique symbol };

export function normalise(spec: ServiceSpec, models?: SpecModels): NormalSpec {
  return dumpServiceSpec(spec, { excludeNone: true, excludeId: true }, models) as unknown as NormalSpec;
}

/** Flattens the managed fields of `spec`. The spec is normalised first (defaults filled, nulls dropped). */
export function managedView(spec: ServiceSpec, options: ViewOptions): ManagedView {
  return viewOf(normalise(spec), options);
}

/** managedView of an already normalised spec (callers that need both a view and a hash normalise once). */
export function viewOf(normal: NormalSpec, options: ViewOptions): ManagedView {
  const out = new Map<string, string>();
  out.set("container.image", normal.container?.image ?? "");
  if (options.environment) {
    for (const variable of normal.container?.environment ?? []) {
      out.set(`container.environment.${variable.name}`, envLabel(variable, options.defaultIdentity));
    }
  }
  const storage = normal.container?.storage ?? {};
  if (options.mounts.has("room")) mountLeaves("room", storage.room, out);
  if (options.mounts.has("project")) mountLeaves("project", storage.project, out);
  if (options.mounts.has("images")) mountLeaves("images", storage.images, out);
  if (options.mounts.has("emptyDirs")) mountLeaves("emptyDirs", storage.empty_dirs, out);
  if (options.mounts.has("volumes")) mountLeaves("volumes", storage.volumes, out);
  const container = (normal.container ?? {}) as Record<string, unknown>;
  const runAs = container["run_as"] as { email?: string; scopes?: string[] } | null | undefined;
  if (options.runAs && runAs) {
    out.set("container.run_as.email", runAs.email ?? "");
    out.set("container.run_as.scopes", (runAs.scopes ?? []).join(","));
  }
  if (options.template && typeof container["template"] === "string") out.set("container.template", container["template"]);
  if (options.enabled && typeof (normal as Record<string, unknown>)["enabled"] === "boolean") out.set("enabled", String((normal as Record<string, unknown>)["enabled"]));
  const annotations = normal.metadata.annotations ?? {};
  for (const key of [SERVICE_ID, REQUEST_VALIDATION_METHOD]) {
    const value = annotations[key];
    if (value !== undefined) out.set(`metadata.annotations.${key}`, value);
  }
  if (options.ports) for (const port of normal.ports ?? []) portLeaves(port, out);
  return out;
}

/**
 * The spec-hash: the view's leaves plus the full environment objects (so a custom token scope
 * counts exactly, not only through its abbreviated label) plus `extra` (e.g. the domain).
 */
export function viewHash(spec: ServiceSpec, options: ViewOptions, extra: Record<string, string> = {}): string {
  return hashOf(normalise(spec), options, extra);
}

/**
 * viewHash of an already normalised spec. `wider`: a view of the same spec made with options that
 * cover `options` (viewCovers), e.g. the diff's: its leaves are filtered instead of flattening the
 * spec again.
 */
export function hashOf(normal: NormalSpec, options: ViewOptions, extra: Record<string, string> = {}, wider?: { view: ManagedView; options: ViewOptions }): string {
  const view = wider !== undefined && viewCovers(wider.options, options) ? narrowed(wider.view, options) : viewOf(normal, options);
  const leaves = Object.fromEntries(view);
  // Order-insensitive: the variables' order carries no meaning to the container.
  const environment = [...(options.environment ? (normal.container?.environment ?? []) : [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256Hex(stableStringify({ leaves, environment: environment as unknown as JsonObject[], extra }));
}

/** True when every leaf a view with `narrow` shows is in a view with `wide`, displayed the same. */
export function viewCovers(wide: ViewOptions, narrow: ViewOptions): boolean {
  return (
    wide.defaultIdentity === narrow.defaultIdentity &&
    (wide.ports || !narrow.ports) &&
    (wide.environment || !narrow.environment) &&
    [...narrow.mounts].every((kind) => wide.mounts.has(kind)) &&
    (wide.runAs === true || narrow.runAs !== true) &&
    (wide.template === true || narrow.template !== true) &&
    (wide.enabled === true || narrow.enabled !== true)
  );
}

/** The leaves of `view` that viewOf with `options` shows (the view's leaf paths, in viewOf's terms). */
function narrowed(view: ManagedView, options: ViewOptions): ManagedView {
  const out = new Map<string, string>();
  for (const [path, value] of view) if (shows(path, options)) out.set(path, value);
  return out;
}

const STORAGE_PREFIX = "container.storage.";

function shows(path: string, options: ViewOptions): boolean {
  if (path.startsWith("container.environment.")) return options.environment;
  if (path.startsWith(STORAGE_PREFIX)) return options.mounts.has(path.slice(STORAGE_PREFIX.length, path.indexOf("[")) as MountKind);
  if (path.startsWith("ports[")) return options.ports;
  if (path.startsWith("container.run_as.")) return options.runAs === true;
  if (path === "container.template") return options.template === true;
  if (path === "enabled") return options.enabled === true;
  return true; // container.image and the metadata annotations: in every view
}
