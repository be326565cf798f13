// Desired service → the ServiceSpec the CLI's `deploy` of the target's generation would build for
// the same flags (cli@0.39.9 and cli@0.50.1 image.py `_build_deploy_service_spec`,
// `_build_deploy_environment`, `_merge_deploy_storage`, `_update_deploy_port`,
// `_deploy_plan_with_secret_environment_run_as_scopes`), merged onto the live service so fields
// meshdeploy does not manage are kept. Pure: never mutates its inputs. The result shares the live
// fields it keeps (read only, never copied: a plan of 20,000 services reads 20,000 specs); callers
// dump it (a copy) before sending or storing it.
//
// Per generation (model/platform.ts): from 0.45 a secret is `{secret: {id}}` (a service-account
// secret; the identity is gone) and `runAs` becomes `container.run_as`; `template` (0.41.4),
// `enabled` (0.49) and `mounts.volumes` (0.48) are written only when declared; request validation
// follows `validation:` from 0.42; the token variables and presets are the generation's.
//
// As the CLI (documented in docs/semantics.md):
// - environment: replaced wholesale when `env`, `secrets` or `token` is declared (as any
//   -e/--env-secret/--meshagent-token flag replaces it); otherwise the live list is kept.
//   `env: {}` is how a config says "no variables".
// - mounts: a kind (room/project/images/emptyDirs) is replaced when declared (`[]` clears it) and
//   kept when not. `files` and `configs` are kept (the CLI drops `configs` on merge; we never
//   drop data we do not manage).
import type { DesiredService, PortDecl } from "./desired.js";
import { MeshdeployError } from "../errors.js";
import { SERVICE_ID, withRequestValidation, type ValidationRule } from "./annotations.js";
import { hasFeature, type Platform } from "./platform.js";
import type {
  ContainerMountSpec,
  ContainerSpec,
  EnvironmentVariable,
  JsonObject,
  PortSpec,
  ServiceSpec,
} from "./service-spec.js";
import { apiScopePreset, specModelsFor } from "./spec-model.js";
import { RESERVED_ROOM_SERVICE_PORTS } from "./spec-model-table.js";

/** A desired service after tag normalisation (model/image-ref.ts). */
export interface ResolvedService extends DesiredService {
  /** The service name MeshAgent derives from the tag, or the declared `name:`. */
  name: string;
  /** The name is the declared `name:`, not derived from the tag. */
  nameDeclared?: true;
  /** The image reference as written into the spec. */
  image: string;
  /**
   * For `build:` services: the packed context's hash and, when an earlier manifest is known, the
   * files changed since that build (`since`: its context hash; the names are shown only when the
   * live service runs that build).
   */
  context: { hash: string; changedFiles: string[] | null; since: string | null } | null;
  /** Ports from the Dockerfile's EXPOSE, used when `ports:` is not declared and the live service has none (as the CLI). */
  defaultPorts: PortDecl[] | null;
  /** What the plan should say about the service that does not change it (e.g. a `.meshagent/deploy.yaml` in its context). */
  notes?: string[];
}

/** What the wire mapping needs to know of the target. */
export type WirePlatform = Pick<Platform, "version" | "generation">;

/** A target that reports no version: the 0.39 wire, byte for byte as before generations. */
export const PLATFORM_0_39: WirePlatform = { version: "0.39.9", generation: "0.39.9" };

/** `--meshagent-token` writes these variables (`_TOKEN_ENVIRONMENT_NAMES`: three in cli@0.39.9, five in cli@0.50.1). */
export const TOKEN_ENV_NAMES = ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"] as const;
export const TOKEN_ENV_NAMES_0_50 = [...TOKEN_ENV_NAMES, "GROK_API_KEY", "XAI_API_KEY"] as const;

/** The scopes `run_as` gets by default (ServiceRunAs) and the ones the CLI adds when secrets are used. */
const RUN_AS_DEFAULT_SCOPES = ["secrets:proxy"];
const RUN_AS_SECRET_SCOPES = ["secrets:proxy", "secrets:read"];

export function identityOf(service: ResolvedService): string {
  return service.identity ?? service.name;
}

export function tokenScopeOf(service: ResolvedService, platform: WirePlatform = PLATFORM_0_39): JsonObject | null {
  if (service.token === null) return null;
  return "preset" in service.token ? apiScopePreset(service.token.preset, specModelsFor(platform.generation)) : service.token.scope;
}

/** `_build_deploy_environment`: env values, then secrets, then the token variables. Null when empty. */
export function desiredEnvironment(service: ResolvedService, platform: WirePlatform = PLATFORM_0_39): EnvironmentVariable[] | null {
  const accountSecrets = hasFeature(platform, "serviceAccountSecrets");
  const identity = identityOf(service);
  const env: EnvironmentVariable[] = [];
  const upsert = (variable: EnvironmentVariable): void => {
    const at = env.findIndex((e) => e.name === variable.name);
    if (at >= 0) env[at] = variable;
    else env.push(variable);
  };
  for (const { name, value } of service.env) upsert({ name, value });
  for (const { name, secretId } of service.secrets) upsert({ name, secret: accountSecrets ? { id: secretId } : { identity, id: secretId } });
  const scope = tokenScopeOf(service, platform);
  if (scope !== null) {
    for (const name of platform.generation === "0.50.1" ? TOKEN_ENV_NAMES_0_50 : TOKEN_ENV_NAMES) {
      upsert({ name, token: { identity, api: scope, role: "agent" } });
    }
  }
  return env.length > 0 ? env : null;
}

/**
 * The declared mount kinds in wire form (`_merge_deploy_storage`); undeclared kinds, `files`,
 * `configs` and unknown keys kept from live.
 */
export function desiredStorage(service: ResolvedService, live: ContainerMountSpec | null | undefined): ContainerMountSpec | null {
  const { room, project, images, emptyDirs, volumes } = service.mounts;
  const orNull = <T>(list: T[]): T[] | null => (list.length > 0 ? list : null);
  // A shallow copy: only top-level kinds are replaced; kept kinds are shared with live, never written.
  const storage: ContainerMountSpec = live ? { ...live } : {};
  if (room !== null) storage.room = orNull(room.map((m) => ({ path: m.path, subpath: m.subpath, read_only: m.readOnly })));
  if (project !== null) storage.project = orNull(project.map((m) => ({ path: m.path, subpath: m.subpath, read_only: m.readOnly })));
  if (images !== null) storage.images = orNull(images.map((m) => ({ image: m.image, path: m.path, subpath: m.subpath, read_only: m.readOnly })));
  if (emptyDirs !== null) storage.empty_dirs = orNull(emptyDirs.map((m) => ({ path: m.path, read_only: m.readOnly })));
  if (volumes !== null) storage.volumes = orNull(volumes.map((m) => ({ name: m.name, path: m.path, subpath: m.subpath, read_only: m.readOnly })));
  const kept = Object.entries(storage).some(([, v]) => v !== null && v !== undefined);
  return kept ? storage : null;
}

/** `_update_deploy_port`: liveness default "/" for non-tcp ports; published ports get public + validation annotations. */
export function withDeployPortRules(port: PortSpec, isPublic: boolean, validation: ValidationRule = "0.39"): PortSpec {
  // A shallow copy: only top-level fields are set below (annotations get a new object).
  const next: PortSpec = { ...port };
  if (next.type !== "tcp" && (next.liveness === null || next.liveness === undefined)) next.liveness = "/";
  if (!next.published) return next;
  const annotations = withRequestValidation({ ...(next.annotations ?? {}) }, isPublic, validation);
  next.public = isPublic ? true : null;
  next.annotations = Object.keys(annotations).length > 0 ? annotations : null;
  return next;
}

/** A kept live port under a declared `public:`: only a published port's `public` flag and validation annotation follow it. */
function withPublicRule(port: PortSpec, isPublic: boolean, validation: ValidationRule): PortSpec {
  if (!port.published) return port;
  const annotations = withRequestValidation({ ...(port.annotations ?? {}) }, isPublic, validation);
  return { ...port, public: isPublic ? true : null, annotations: Object.keys(annotations).length > 0 ? annotations : null };
}

/** A declared port; endpoints and non-validation annotations of the live port with the same number are kept. */
function declaredPort(decl: PortDecl, live: PortSpec | undefined): PortSpec {
  const liveAnnotations = { ...(live?.annotations ?? {}) };
  delete liveAnnotations["meshagent.request.validation.method"];
  return {
    num: decl.num,
    type: decl.type,
    endpoints: live?.endpoints ?? [],
    liveness: decl.liveness,
    published: decl.published,
    public: null,
    annotations: Object.keys(liveAnnotations).length > 0 ? liveAnnotations : null,
  };
}

/** Dockerfile EXPOSE defaults as the CLI writes them (`_infer_deploy_ports_from_packed_dockerfile_metadata`). */
function defaultPort(decl: PortDecl): PortSpec {
  return { num: decl.num, type: decl.type, endpoints: [], liveness: decl.liveness, published: decl.published, public: null, annotations: null };
}

export function desiredPorts(service: ResolvedService, livePorts: PortSpec[] | null | undefined, platform: WirePlatform = PLATFORM_0_39): PortSpec[] {
  const live = livePorts ?? [];
  // Undeclared `ports:` with live ports: the live ports are kept exactly (no liveness default
  // injected, `public` and the validation annotation untouched), as undeclared env and mounts are;
  // a declared `public:` still applies to their published ports. The CLI's port rules apply only
  // to ports meshdeploy writes: declared ones and the Dockerfile EXPOSE defaults of a new set.
  const keptLive = service.ports === null && live.length > 0;
  const base =
    service.ports !== null
      ? service.ports.map((decl) => declaredPort(decl, live.find((p) => p.num === decl.num)))
      : keptLive
        ? live
        : (service.defaultPorts ?? []).map(defaultPort);
  for (const port of base) {
    if (typeof port.num === "number" && RESERVED_ROOM_SERVICE_PORTS.includes(port.num)) {
      throw new MeshdeployError(
        "E_CONFLICT",
        `service ${service.name} in room ${service.room} uses reserved MeshAgent room infrastructure port ${port.num}; reserved ports: ${RESERVED_ROOM_SERVICE_PORTS.join(", ")}`,
        { hint: "declare `ports:` for the service to replace the live ports" },
      );
    }
  }
  const rule = validationRule(service, platform);
  if (keptLive) return service.publicDeclared === true || service.validation !== null ? base.map((port) => withPublicRule(port, service.public, rule)) : base;
  return base.map((port) => withDeployPortRules(port, service.public, rule));
}

/** The 0.39 rule before validation modes existed (0.42); then the declared mode, default `default`. */
export function validationRule(service: ResolvedService, platform: WirePlatform): ValidationRule {
  return hasFeature(platform, "validationModes") ? (service.validation ?? "default") : "0.39";
}

/** `run_as` as the CLI writes it: the account, its scopes, plus secrets:proxy and secrets:read when secrets are used. */
function desiredRunAs(service: ResolvedService): JsonObject | null {
  if (service.runAs === null) return null;
  const scopes = [...(service.runAs.scopes ?? RUN_AS_DEFAULT_SCOPES)];
  if (service.secrets.length > 0) for (const scope of RUN_AS_SECRET_SCOPES) if (!scopes.includes(scope)) scopes.push(scope);
  return { email: service.runAs.email, scopes };
}

/**
 * The complete spec meshdeploy wants for `service`, given the live spec (null for a new service)
 * and the meshdeploy annotations to record. The caller serialises it (POST: exclude none, no id;
 * PUT: the full dump with the live id).
 */
export function buildServiceSpec(
  service: ResolvedService,
  live: ServiceSpec | null,
  ownAnnotations: Record<string, string>,
  platform: WirePlatform = PLATFORM_0_39,
): ServiceSpec {
  if (live?.external) {
    throw new MeshdeployError(
      "E_CONFLICT",
      `existing service ${service.name} in room ${service.room} is external and cannot be replaced with a container deployment`,
      { hint: "delete it with `meshagent service delete`, or change the tag so the derived name differs" },
    );
  }
  const annotations = {
    ...withRequestValidation({ ...(live?.metadata.annotations ?? {}) }, service.public, validationRule(service, platform)),
    [SERVICE_ID]: service.name,
    ...ownAnnotations,
  };
  // Live data is only read: what is kept is shared with it (callers dump the spec before sending or
  // storing it, which copies), and every field meshdeploy writes gets a new object.
  const liveContainer: ContainerSpec | null = live?.container ?? null;
  const container: ContainerSpec = {
    ...(liveContainer ?? {}),
    image: service.image,
    environment: service.manageEnvironment ? desiredEnvironment(service, platform) : (liveContainer?.environment ?? null),
    storage: desiredStorage(service, liveContainer?.storage),
  };
  // Declared only (the live value is kept otherwise); a generation without the field never gets
  // here with it declared (the planner makes that a problem first).
  const runAs = desiredRunAs(service);
  if (runAs !== null && hasFeature(platform, "serviceAccountSecrets")) container.run_as = runAs;
  if (service.template !== null && hasFeature(platform, "containerTemplate")) container.template = service.template;
  const base: ServiceSpec = live ?? { version: "v1", kind: "Service", metadata: { name: service.name } };
  return {
    ...base,
    metadata: { ...base.metadata, name: service.name, annotations },
    container,
    ports: desiredPorts(service, live?.ports, platform),
    external: null,
    ...(service.enabled !== null && hasFeature(platform, "enabled") ? { enabled: service.enabled } : {}),
  };
}
