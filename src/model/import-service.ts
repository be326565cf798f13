// A live service → the config entry that declares it (for `meshdeploy import` and `init
// --from-room`): plain data, with a note for each thing the config cannot say. Pure. What it
// writes is then checked by planning it against the same room (src/reconcile-import.ts), so a
// guess that would change the service is taken back rather than trusted.
import { REQUEST_VALIDATION_METHOD, SERVICE_ID } from "./annotations.js";
import { parseImageRef, serviceNameOf } from "./image-ref.js";
import { hasFeature } from "./platform.js";
import type { EnvironmentVariable, JsonObject, LiveService, Route } from "./service-spec.js";
import { apiScopePreset, specModelsFor, type ApiScopePreset } from "./spec-model.js";
import { stableStringify } from "./stable-json.js";
import { TOKEN_ENV_NAMES, TOKEN_ENV_NAMES_0_50, type WirePlatform } from "./wire.js";

/** A config field group that can be left out again (then the live value is kept). */
export type FieldGroup = "environment" | "mounts.room" | "mounts.project" | "mounts.images" | "mounts.emptyDirs" | "mounts.volumes" | "ports" | "runAs" | "template" | "enabled" | "validation" | "domain";

export interface ImportedService {
  name: string;
  /** The service's config entry, by group (`base` always: `tag` and the plain flags). */
  groups: Partial<Record<FieldGroup | "base", Record<string, unknown>>>;
  /** What the config cannot express (kept as the service has it), one line each. */
  notes: string[];
}

export type ImportResult = { ok: true; service: ImportedService } | { ok: false; name: string; reason: string };

export function importService(live: LiveService, room: string, routes: readonly Route[], platform: WirePlatform): ImportResult {
  const name = live.metadata.name;
  if (live.external) return { ok: false, name, reason: "an external service (no container): meshdeploy deploys containers only" };
  const image = live.container?.image ?? "";
  let derived: string;
  try {
    derived = serviceNameOf(parseImageRef(image));
  } catch (error) {
    return { ok: false, name, reason: `its image ${JSON.stringify(image)} is not a tag meshdeploy accepts (${(error as Error).message})` };
  }
  if (derived !== name) return { ok: false, name, reason: `its image ${image} derives the name ${derived}, not ${name} (meshdeploy names services from their tag)` };
  const notes: string[] = [];
  const groups: ImportedService["groups"] = { base: { tag: image } };
  const container = (live.container ?? {}) as Record<string, unknown>;

  const env = environmentOf(live.container?.environment ?? [], name, platform);
  if (env.fields !== null) groups.environment = env.fields;
  if (env.note !== null) notes.push(env.note);

  const storage = (live.container?.storage ?? {}) as Record<string, unknown>;
  const mount = (kind: FieldGroup, list: unknown, map: (m: Record<string, unknown>) => Record<string, unknown>): void => {
    if (!Array.isArray(list) || list.length === 0) return;
    groups[kind] = { [kind.slice("mounts.".length)]: (list as Record<string, unknown>[]).map(map) };
  };
  const sub = (m: Record<string, unknown>): Record<string, unknown> => (typeof m["subpath"] === "string" && m["subpath"] !== "" ? { subpath: m["subpath"] } : {});
  const ro = (m: Record<string, unknown>): boolean => m["read_only"] === true;
  mount("mounts.room", storage["room"], (m) => ({ ...(typeof m["subpath"] === "string" && m["subpath"] !== "" ? { source: m["subpath"] } : {}), path: m["path"], readOnly: ro(m) }));
  mount("mounts.project", storage["project"], (m) => ({ ...(typeof m["subpath"] === "string" && m["subpath"] !== "" ? { source: m["subpath"] } : {}), path: m["path"], readOnly: ro(m) }));
  mount("mounts.images", storage["images"], (m) => ({ image: m["image"], path: m["path"], ...sub(m), readOnly: ro(m) }));
  mount("mounts.emptyDirs", storage["empty_dirs"], (m) => ({ path: m["path"], readOnly: ro(m) }));
  mount("mounts.volumes", storage["volumes"], (m) => ({ name: m["name"], path: m["path"], ...sub(m), readOnly: ro(m) }));
  for (const kind of ["files", "configs"]) if (Array.isArray(storage[kind]) && (storage[kind] as unknown[]).length > 0) notes.push(`container.storage.${kind} (${(storage[kind] as unknown[]).length}) is not expressible; kept as the service has it`);

  const ports = live.ports ?? [];
  if (ports.length > 0) {
    groups.ports = {
      ports: ports.map((p) => ({
        num: p.num,
        ...(p.type === "tcp" ? { type: "tcp" } : {}),
        ...(typeof p.liveness === "string" ? { liveness: p.liveness } : {}),
        ...(typeof p.published === "boolean" ? { published: p.published } : {}),
      })),
    };
    if (ports.some((p) => p.published && p.public === true)) groups.base!["public"] = true;
    if (ports.some((p) => (p.endpoints ?? []).length > 0)) notes.push("port endpoints (agents, MCP) are not expressible; kept as the service has them");
  }
  const validation = live.metadata.annotations?.[REQUEST_VALIDATION_METHOD];
  if (hasFeature(platform, "validationModes") && validation === "cookie" && groups.base!["public"] !== true) groups.validation = { validation: "cookie" };

  const runAs = container["run_as"] as { email?: unknown; scopes?: unknown } | null | undefined;
  if (runAs && typeof runAs.email === "string") groups.runAs = { runAs: { email: runAs.email, ...(Array.isArray(runAs.scopes) ? { scopes: runAs.scopes } : {}) } };
  if (hasFeature(platform, "containerTemplate") && (container["template"] === "agent" || container["template"] === "none")) groups.template = { template: container["template"] };
  const enabled = (live as Record<string, unknown>)["enabled"];
  if (hasFeature(platform, "enabled") && enabled === false) groups.enabled = { enabled: false };

  const route = routes.find((r) => r.room_name === room && r.annotations[SERVICE_ID] === name);
  if (route !== undefined) groups.domain = { domain: route.domain };
  for (const key of ["agents", "files"]) if (Array.isArray((live as Record<string, unknown>)[key]) && ((live as Record<string, unknown>)[key] as unknown[]).length > 0) notes.push(`${key} are not expressible; kept as the service has them`);
  if (typeof container["pull_secret"] === "string" || (typeof container["pull_secret"] === "object" && container["pull_secret"] !== null)) notes.push("container.pull_secret is not expressible; kept as the service has it");
  return { ok: true, service: { name, groups, notes } };
}

interface EnvResult {
  fields: Record<string, unknown> | null;
  note: string | null;
}

/** env / secrets / token / identity, when the variables are exactly what those fields write; else none (kept). */
function environmentOf(variables: readonly EnvironmentVariable[], name: string, platform: WirePlatform): EnvResult {
  if (variables.length === 0) return { fields: null, note: null };
  const kept = (why: string): EnvResult => ({ fields: null, note: `container.environment (${variables.length} variable${variables.length === 1 ? "" : "s"}) is kept as the service has it: ${why}` });
  const accountSecrets = hasFeature(platform, "serviceAccountSecrets");
  const env: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const tokens = variables.filter((v) => v.token);
  const identities = new Set<string>();
  for (const v of variables) {
    if (v.token) continue;
    if (v.secret) {
      secrets[v.name] = v.secret.id;
      if (!accountSecrets) identities.add(v.secret.identity ?? name);
    } else if (typeof v.value === "string") env[v.name] = v.value;
    else return kept(`${v.name} has no value`);
  }
  let token: unknown = undefined;
  if (tokens.length > 0) {
    const names = platform.generation === "0.50.1" ? TOKEN_ENV_NAMES_0_50 : TOKEN_ENV_NAMES;
    const first = tokens[0]!.token!;
    const same = tokens.every((v) => v.token!.identity === first.identity && stableStringify(v.token!.api ?? null) === stableStringify(first.api ?? null) && (v.token!.role ?? "agent") === "agent");
    if (!same || tokens.length !== names.length || !names.every((n) => tokens.some((v) => v.name === n))) return kept(`its participant tokens are not the set \`token:\` writes (${names.join(", ")}, one identity and scope, role agent)`);
    if (first.api === null || first.api === undefined) return kept("its tokens have no API scope (the role's default), which `token:` cannot say");
    const api = first.api as JsonObject;
    const presets: ApiScopePreset[] = ["agentDefault", "userDefault", "full"];
    const models = specModelsFor(platform.generation);
    token = presets.find((p) => stableStringify(apiScopePreset(p, models)) === stableStringify(api)) ?? api;
    identities.add(first.identity);
  }
  if (identities.size > 1) return kept(`its tokens and secrets belong to different identities (${[...identities].join(", ")})`);
  if (!accountSecrets && Object.keys(secrets).length > 0 && token === undefined) return kept("room secrets without a `token:` for the same identity (MeshAgent 0.39 requires one)");
  const identity = [...identities][0];
  return {
    fields: {
      ...(Object.keys(env).length > 0 || (Object.keys(secrets).length === 0 && token === undefined) ? { env } : {}),
      ...(Object.keys(secrets).length > 0 ? { secrets } : {}),
      ...(token !== undefined ? { token } : {}),
      ...(identity !== undefined && identity !== name ? { identity } : {}),
    },
    note: null,
  };
}
