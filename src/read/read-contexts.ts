// For services with `build:`: pack and hash the context (with the caller's HashCache), read the
// Dockerfile's final stage the way `meshagent deploy PATH` does (EXPOSE → default ports, VOLUME
// paths must be mounted), and name the files changed since the last build meshdeploy made.
// Problems become diagnostics located at the service's `build:` key; nothing is sent anywhere.
import { changedFiles, type HashCache } from "../build-context/context-hash.js";
import { defaultPorts, RUNTIME_LABEL } from "../build-context/deploy-defaults.js";
import { readDockerfileText } from "../build-context/dockerfile-find.js";
import { parseDockerfileMetadata } from "../build-context/dockerfile.js";
import { missingVolumeMountSummary, missingVolumeMounts } from "../build-context/volume-mounts.js";
import { packContext } from "../build-context/pack.js";
import type { PortDecl } from "../model/desired.js";
import { CONTEXT_HASH_LENGTH, CONTEXT_HASH_MARK } from "../model/builtin-value.js";
import type { Diagnostic } from "../diagnostic.js";
import { ConfigError, MeshdeployError } from "../errors.js";
import type { ResolvedService } from "../model/wire.js";
import type { ContextManifests } from "./context-manifests.js";

export interface ContextOptions {
  cache: HashCache;
  manifests: ContextManifests;
  /** Absolute directories never packed (meshdeploy's own state). */
  exclude: readonly string[];
}

function declaredMountPaths(service: ResolvedService): string[] {
  const { room, project, images, emptyDirs } = service.mounts;
  return [...(room ?? []), ...(project ?? []), ...(images ?? []), ...(emptyDirs ?? [])].map((m) => m.path);
}

async function readOne(service: ResolvedService, options: ContextOptions): Promise<ResolvedService> {
  const build = service.build!;
  const packed = await packContext(build.context, { cache: options.cache, exclude: options.exclude, ...(build.dockerfile === null ? {} : { dockerfile: build.dockerfile }) });
  const metadata = parseDockerfileMetadata(await readDockerfileText(packed.root, packed.dockerfile));
  if (metadata.labels[RUNTIME_LABEL] !== undefined) {
    throw new MeshdeployError("E_BUILD", `${packed.dockerfile.relativePath} sets LABEL ${RUNTIME_LABEL}=${metadata.labels[RUNTIME_LABEL]}, which meshdeploy does not support yet`, {
      hint: "the CLI would run the image on a meshagent runtime base image instead; remove the label and give the image its own CMD",
    });
  }
  const missing = missingVolumeMounts(metadata.volumes, declaredMountPaths(service));
  if (missing.length > 0) {
    throw new MeshdeployError("E_BUILD", missingVolumeMountSummary(missing), {
      hint: `mount ${missing.length === 1 ? "it" : "each"} under mounts: (room, project, images or emptyDirs), e.g. mounts: {emptyDirs: [${missing.map((p) => JSON.stringify(p)).join(", ")}]}`,
    });
  }
  const previous = await options.manifests.get(service.room, service.name);
  const defaults: PortDecl[] | null = defaultPorts(metadata)?.map((p) => ({ num: p.num as number, type: "http", liveness: null, published: true })) ?? null;
  const short = packed.hash.slice(0, CONTEXT_HASH_LENGTH);
  return {
    ...service,
    tag: service.tag.replaceAll(CONTEXT_HASH_MARK, short),
    image: service.image.replaceAll(CONTEXT_HASH_MARK, short),
    context: {
      hash: packed.hash,
      changedFiles: previous ? changedFiles(new Map(Object.entries(previous.files)), packed.files) : null,
      since: previous?.hash ?? null,
    },
    defaultPorts: defaults,
  };
}

export async function readContexts(services: readonly ResolvedService[], options: ContextOptions): Promise<ResolvedService[]> {
  const diagnostics: Diagnostic[] = [];
  const out: ResolvedService[] = [];
  // One context at a time: hashing is I/O- and CPU-bound, and contexts are often shared.
  for (const service of services) {
    if (service.name.includes(CONTEXT_HASH_MARK) || (service.build === null && service.image.includes(CONTEXT_HASH_MARK))) {
      const message = service.build === null ? "`${CONTEXT_HASH}` in `tag:` needs a `build:` context to hash" : "`${CONTEXT_HASH}` belongs in the tag part of `tag:` (after the `:`), not in the name";
      diagnostics.push({ rule: "context-hash", message, location: service.locations.tag, hint: "write e.g. `tag: web:${CONTEXT_HASH}` with `build: ./web`" });
      continue;
    }
    if (service.build === null) {
      out.push(service);
      continue;
    }
    try {
      out.push(await readOne(service, options));
    } catch (error) {
      if (!(error instanceof MeshdeployError)) throw error;
      diagnostics.push({ rule: "build-context", message: error.message, location: service.locations.build ?? service.locations.service, ...(error.hint ? { hint: error.hint } : {}) });
    }
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return out;
}
