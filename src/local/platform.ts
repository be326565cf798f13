// Which MeshAgent platform generation the local room speaks (SPEC.md "Platform generations"), as one
// small object every resource and tool asks instead of comparing version strings. The generation
// decides the spec validation (the seam `validateSpec`/`normaliseSpec`, where the 0.50.1 model
// table plugs in), which endpoints and tools exist, and the wire shapes; `strictness` decides the
// points where the real 0.50.1 server's leniency is unknown (platform-0.50.md §4).
// Pure: no I/O.
import { GENERATIONS, type Generation } from "../model/platform.js";
import type { JsonObject, ServiceSpec } from "../model/service-spec.js";
import { dumpServiceSpec, specModelsFor, validateServiceSpec, type SpecIssue } from "../model/spec-model.js";

const MODELS_050 = specModelsFor("0.50.1");

/** The generations the local room speaks: the ones meshdeploy holds models for. */
export type PlatformVersion = Generation;
export type Strictness = "lenient" | "strict";

export const PLATFORM_VERSIONS: readonly PlatformVersion[] = GENERATIONS;
/** The generation a local room speaks when none is asked for. Flipping it to "0.50.1" is the whole change. */
export const DEFAULT_PLATFORM: PlatformVersion = "0.50.1";
export const DEFAULT_STRICTNESS: Strictness = "lenient";

export interface LocalPlatform {
  readonly version: PlatformVersion;
  readonly strictness: Strictness;
  /** The `version` key of GET /config, or null: 0.39 servers send none. */
  readonly configVersion: string | null;
  /** [] when the generation's `ServiceSpec.model_validate(body)` would succeed. */
  validateSpec(body: Record<string, unknown>): SpecIssue[];
  /** What is stored for a validated body: `{id, ...model_dump(exclude_none, exclude id)}`. */
  normaliseSpec(body: Record<string, unknown>, id: string): JsonObject & { id: string };
  /** 0.39 room secrets REST (`…/rooms/{room}/secrets`) and the `secrets` room toolkit (removed in 0.45). */
  readonly roomSecrets: boolean;
  /** Service accounts and their secrets REST (0.44.7 / 0.45). */
  readonly serviceAccounts: boolean;
  /** Route bodies and answers are RouteSpec-based (`{spec}` in, `{domain, spec}` out; 0.40.3). */
  readonly routeSpec: boolean;
  /** A legacy flat route body is still accepted (always at 0.39.9; lenient only at 0.50.1). */
  readonly legacyRouteBodies: boolean;
  /** The `containers.build` start chunk may name the image with `tag` alone (strict 0.50.1 needs `tags`). */
  readonly buildTagAlone: boolean;
  /** `list_builds` carries `published_images` and `containers.delete_image` exists (0.41–0.42). */
  readonly publishedImages: boolean;
  /** The websocket upgrade takes the room token from `?token=` (strict 0.50.1: only `Authorization: Bearer`). */
  readonly queryToken: boolean;
  /** `service_states` carry `status.ports`, `events` and `last_start_error` (0.45). */
  readonly runtimeStatus: boolean;
  /** Repository listing pages with `page_size`/`continuation_token`, and `by-name` look-ups (0.44.7 / 0.48). */
  readonly repositoryPaging: boolean;
}

export function localPlatform(version: PlatformVersion = DEFAULT_PLATFORM, strictness: Strictness = DEFAULT_STRICTNESS): LocalPlatform {
  if (version === "0.39.9") {
    return {
      version,
      strictness,
      configVersion: null,
      validateSpec: (body) => validateServiceSpec(body),
      normaliseSpec: (body, id) => ({ id, ...dumpServiceSpec(body as ServiceSpec, { excludeNone: true, excludeId: true }) }),
      roomSecrets: true,
      serviceAccounts: false,
      routeSpec: false,
      legacyRouteBodies: true,
      buildTagAlone: true,
      publishedImages: false,
      queryToken: true,
      runtimeStatus: false,
      repositoryPaging: false,
    };
  }
  const lenient = strictness === "lenient";
  return {
    version,
    strictness,
    configVersion: "0.50.1",
    validateSpec: (body) => validateServiceSpec(body, MODELS_050),
    normaliseSpec: (body, id) => ({ id, ...dumpServiceSpec(body as ServiceSpec, { excludeNone: true, excludeId: true }, MODELS_050) }),
    roomSecrets: false,
    serviceAccounts: true,
    routeSpec: true,
    legacyRouteBodies: lenient,
    buildTagAlone: lenient,
    publishedImages: true,
    queryToken: lenient,
    runtimeStatus: true,
    repositoryPaging: true,
  };
}

/** True for a generation the local room speaks ("0.39.9", "0.50.1"). */
export function isPlatformVersion(value: unknown): value is PlatformVersion {
  return typeof value === "string" && (PLATFORM_VERSIONS as readonly string[]).includes(value);
}

/** -1, 0 or 1, comparing two supported generations. */
export function comparePlatforms(a: PlatformVersion, b: PlatformVersion): number {
  return Math.sign(PLATFORM_VERSIONS.indexOf(a) - PLATFORM_VERSIONS.indexOf(b));
}
