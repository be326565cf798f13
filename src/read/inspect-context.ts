// The offline half of reading a `build:` context: pack and hash it, read the Dockerfile's final
// stage the way `meshagent deploy PATH` does, and refuse what the CLI (or its builder) would
// refuse — an empty Dockerfile, `LABEL meshagent.runtime`, a VOLUME no mount covers. No network
// and no writes, so `validate` runs it too, and `plan` runs it before contacting the server.
// Must not: read the manifests of earlier builds (read-contexts.ts does), name a room or a target.
import type { HashCache } from "../build-context/context-hash.js";
import { defaultPorts, RUNTIME_LABEL } from "../build-context/deploy-defaults.js";
import { readDockerfileText } from "../build-context/dockerfile-find.js";
import { parseDockerfileMetadata } from "../build-context/dockerfile.js";
import { invalidExposes } from "../build-context/expose-check.js";
import type { PackedContext } from "../build-context/pack.js";
import { missingVolumeMountSummary, missingVolumeMounts } from "../build-context/volume-mounts.js";
import type { Diagnostic } from "../diagnostic.js";
import { ConfigError, MeshdeployError } from "../errors.js";
import type { DesiredService, PortDecl } from "../model/desired.js";
import { ContextPacks } from "./context-packs.js";

export interface InspectOptions {
  cache: HashCache;
  /** Absolute directories never packed (meshdeploy's own state). */
  exclude: readonly string[];
  /** This run's packs (the offline check's, reused by the read phase); default: one for this call. */
  packs?: ContextPacks;
}

export interface ContextFacts {
  packed: PackedContext;
  /** Ports from the Dockerfile's EXPOSE (null: none declared). */
  defaultPorts: PortDecl[] | null;
}

type Inspected = Pick<DesiredService, "build" | "mounts">;

function declaredMountPaths(service: Inspected): string[] {
  const { room, project, images, emptyDirs, volumes } = service.mounts;
  return [...(room ?? []), ...(project ?? []), ...(images ?? []), ...(emptyDirs ?? []), ...(volumes ?? [])].map((m) => m.path);
}

/** Throws a MeshdeployError (unlocated) for the first problem of this service's context. */
export async function inspectContext(service: Inspected, options: InspectOptions): Promise<ContextFacts> {
  const build = service.build!;
  const packs = options.packs ?? new ContextPacks();
  const packed = await packs.pack(build.context, { dockerfile: build.dockerfile, cache: options.cache, exclude: options.exclude });
  const text = await readDockerfileText(packed.root, packed.dockerfile);
  if (text.replace(/^\uFEFF/, "").trim() === "") {
    throw new MeshdeployError("E_BUILD", `the Dockerfile ${packed.dockerfile.absolutePath} is empty`, {
      hint: "the room's builder fails on a Dockerfile with no instructions; give it at least a FROM line",
    });
  }
  const metadata = parseDockerfileMetadata(text);
  if (metadata.labels[RUNTIME_LABEL] !== undefined) {
    throw new MeshdeployError("E_BUILD", `${packed.dockerfile.relativePath} sets LABEL ${RUNTIME_LABEL}=${metadata.labels[RUNTIME_LABEL]}, which meshdeploy does not support yet`, {
      hint: "the CLI would run the image on a meshagent runtime base image instead; remove the label and give the image its own CMD",
    });
  }
  const notPorts = invalidExposes(text);
  if (notPorts.length > 0) {
    const list = notPorts.map((e) => `\`${e}\``).join(", ");
    throw new MeshdeployError("E_BUILD", `${packed.dockerfile.relativePath}: EXPOSE ${list} ${notPorts.length === 1 ? "is not a port" : "are not ports"}`, {
      hint: "EXPOSE takes port numbers 1-65535 (or ranges such as 8000-8010), optionally /tcp or /udp; the room's builder fails on anything else",
    });
  }
  const missing = missingVolumeMounts(metadata.volumes, declaredMountPaths(service));
  if (missing.length > 0) {
    throw new MeshdeployError("E_BUILD", missingVolumeMountSummary(missing), {
      hint: `mount ${missing.length === 1 ? "it" : "each"} under mounts: (room, project, images or emptyDirs), e.g. mounts: {emptyDirs: [${missing.map((p) => JSON.stringify(p)).join(", ")}]}`,
    });
  }
  const ports: PortDecl[] | null = defaultPorts(metadata)?.map((p) => ({ num: p.num as number, type: "http", liveness: null, published: true })) ?? null;
  return { packed, defaultPorts: ports };
}

/** A context problem as a diagnostic at the service's `build:` key. */
export function contextDiagnostic(service: Pick<DesiredService, "locations">, error: MeshdeployError): Diagnostic {
  return { rule: "build-context", message: error.message, location: service.locations.build ?? service.locations.service, ...(error.hint ? { hint: error.hint } : {}) };
}

/**
 * Every `build:` context of `services`, inspected one at a time (hashing is I/O- and CPU-bound,
 * and contexts are often shared); every problem is collected, then thrown as one ConfigError.
 */
export async function inspectContexts<S extends DesiredService>(services: readonly S[], options: InspectOptions): Promise<Map<S, ContextFacts>> {
  const diagnostics: Diagnostic[] = [];
  const facts = new Map<S, ContextFacts>();
  const shared = { ...options, packs: options.packs ?? new ContextPacks() };
  for (const service of services) {
    if (service.build === null) continue;
    try {
      facts.set(service, await inspectContext(service, shared));
    } catch (error) {
      if (!(error instanceof MeshdeployError)) throw error;
      diagnostics.push(contextDiagnostic(service, error));
    }
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return facts;
}
