// Which MeshAgent the target is, and what follows from it. The version comes from the server's
// `GET /config` (`version`; 0.39 servers send none), or from `--platform` / `platform:`. Behaviour
// is decided per feature, from the first version that has it (shared/meshagent/platform-0.50.md
// §3.1), never from one "old/new" switch; the wire model table is the generation's (0.39.9 for
// servers before 0.45, 0.50.1 from 0.45 on). Pure: no I/O.

/** The two generations whose models meshdeploy holds (model tables, vectors, the local room). */
export type Generation = "0.39.9" | "0.50.1";
export const GENERATIONS: readonly Generation[] = ["0.39.9", "0.50.1"];
/** The newest generation meshdeploy knows: what an unparseable or newer version is treated as. */
export const CURRENT: Generation = "0.50.1";

export type Feature =
  | "buildTags"
  | "routeSpec"
  | "containerTemplate"
  | "servicesByName"
  | "validationModes"
  | "publishedDigests"
  | "imageCacheCleanup"
  | "wsAuthHeader"
  | "serviceAccountSecrets"
  | "portLiveness"
  | "repositoriesByName"
  | "volumes"
  | "enabled";

/** First server version with each feature (platform-0.50.md §2, "first in"). */
export const FEATURE_SINCE: Readonly<Record<Feature, string>> = {
  buildTags: "0.40.1", // containers.build start chunk `tags: [...]` (W4)
  routeSpec: "0.40.3", // routes written as {spec: RouteSpec}, answered as {domain, spec} (T1, T2)
  containerTemplate: "0.41.4", // container.template agent|none, default agent (M6)
  servicesByName: "0.41.6", // GET …/services/by-name/{name} (S2)
  validationModes: "0.42.0", // private deploys no longer add cookie validation by default (E4)
  publishedDigests: "0.42.2", // list_builds published_images (W6, E1)
  imageCacheCleanup: "0.41.1", // containers.delete_image after a deploy (E2)
  wsAuthHeader: "0.43.0", // room token as Authorization: Bearer on the websocket (W1)
  serviceAccountSecrets: "0.45.0", // {secret:{id}} + run_as; no room secrets, project mounts, secrets toolkit (M1–M5, K1, W3)
  portLiveness: "0.45.9", // services.list status.ports[].liveness_status (W7, E5)
  repositoriesByName: "0.48.0", // GET …/repositories/by-name/{name} (G1)
  volumes: "0.48.0", // storage.volumes: named room volumes (M5)
  enabled: "0.49.0", // ServiceSpec.enabled (M7)
};

/** Where the version came from, for the plan header and JSON. */
export type PlatformSource = "server" | "server-without-version" | "flag" | "config";

export interface Platform {
  /** As reported or given, e.g. "0.50.1". */
  version: string;
  source: PlatformSource;
  /** The model generation used for the wire. */
  generation: Generation;
  /** Set when the version could not be read or is newer than any meshdeploy knows. */
  warning?: string;
}

export type VersionKey = readonly [number, number, number];

/**
 * major.minor.patch from leading digits, like the CLI's `_version_key` ("0.50.1rc2" → 0.50.1,
 * "v0.45" → 0.45.0). null when not even a major.minor is there.
 */
export function parseVersion(text: string): VersionKey | null {
  const match = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

export function compareVersions(a: VersionKey, b: VersionKey): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const key = (version: string): VersionKey => parseVersion(version) ?? parseVersion(CURRENT)!;

export function hasFeature(platform: Pick<Platform, "version">, feature: Feature): boolean {
  return compareVersions(key(platform.version), key(FEATURE_SINCE[feature])) >= 0;
}

/** The platform for a version from `source`; a missing server version means a 0.39 server. */
export function platformOf(version: string | null, source: PlatformSource): Platform {
  if (version === null) return { version: "0.39.9", source: "server-without-version", generation: "0.39.9" };
  const parsed = parseVersion(version);
  if (parsed === null) {
    // Conservative: a server that reports a version at all is 0.41.7 or later; the newest known wire is the best guess.
    return { version: CURRENT, source, generation: CURRENT, warning: `the server version "${version}" is not a version; assuming MeshAgent ${CURRENT}` };
  }
  const generation: Generation = hasFeature({ version }, "serviceAccountSecrets") ? "0.50.1" : "0.39.9";
  const newer = compareVersions(parsed, key(CURRENT)) > 0;
  return { version, source, generation, ...(newer ? { warning: `MeshAgent ${version} is newer than ${CURRENT}, the newest version meshdeploy knows; it speaks ${CURRENT} to it` } : {}) };
}

export function describePlatform(platform: Pick<Platform, "version" | "source">): string {
  const from = { server: "reported by the server", "server-without-version": "the server reports no version", flag: "from --platform", config: "from platform: in the config" }[platform.source];
  return `MeshAgent ${platform.version} (${from})`;
}
