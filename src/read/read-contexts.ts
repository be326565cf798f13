// For services with `build:`: inspect the context offline (inspect-context.ts: pack, hash, the
// Dockerfile's EXPOSE defaults and VOLUME/label checks) and name the files changed since the last
// build meshdeploy made. Problems become diagnostics located at the service's `build:` key;
// nothing is sent anywhere.
import type { HashCache } from "../build-context/context-hash.js";
import { readDeployTemplate, templateNote } from "../build-context/deploy-template.js";
import { CONTEXT_HASH_LENGTH, CONTEXT_HASH_MARK } from "../model/builtin-value.js";
import type { Diagnostic } from "../diagnostic.js";
import { ConfigError } from "../errors.js";
import type { ResolvedService } from "../model/wire.js";
import { changedSince, type ContextManifests } from "./context-manifests.js";
import type { ContextPacks } from "./context-packs.js";
import { inspectContexts, type ContextFacts } from "./inspect-context.js";

export interface ContextOptions {
  cache: HashCache;
  manifests: ContextManifests;
  /** Absolute directories never packed (meshdeploy's own state). */
  exclude: readonly string[];
  /** This run's packs (the offline check's): each context is walked and hashed once per run. */
  packs?: ContextPacks;
}

export async function readContexts(services: readonly ResolvedService[], options: ContextOptions): Promise<ResolvedService[]> {
  // `${CONTEXT_HASH}` is the build context's hash: only in the tag part of a service with `build:`.
  const diagnostics: Diagnostic[] = [];
  for (const service of services) {
    if (service.name.includes(CONTEXT_HASH_MARK) || (service.build === null && service.image.includes(CONTEXT_HASH_MARK))) {
      const message = service.build === null ? "`${CONTEXT_HASH}` in `tag:` needs a `build:` context to hash" : "`${CONTEXT_HASH}` belongs in the tag part of `tag:` (after the `:`), not in the name";
      diagnostics.push({ rule: "context-hash", message, location: service.locations.tag, hint: "write e.g. `tag: web:${CONTEXT_HASH}` with `build: ./web`" });
    }
  }
  const hashable = services.filter((service) => !diagnostics.some((d) => d.location === service.locations.tag));
  let facts: Map<ResolvedService, ContextFacts>;
  try {
    facts = await inspectContexts(hashable, { cache: options.cache, exclude: options.exclude, ...(options.packs ? { packs: options.packs } : {}) });
  } catch (error) {
    if (diagnostics.length > 0 && error instanceof ConfigError) throw new ConfigError([...diagnostics, ...error.diagnostics]);
    throw error;
  }
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  const out: ResolvedService[] = [];
  for (const service of services) {
    const found = facts.get(service);
    if (found === undefined) {
      out.push(service);
      continue;
    }
    const previous = await options.manifests.get(service.room, service.name);
    // `.meshagent/deploy.yaml`: the current CLI would name the service from that template (N2).
    const template = await readDeployTemplate(found.packed.root);
    const short = found.packed.hash.slice(0, CONTEXT_HASH_LENGTH);
    out.push({
      ...service,
      tag: service.tag.replaceAll(CONTEXT_HASH_MARK, short),
      image: service.image.replaceAll(CONTEXT_HASH_MARK, short),
      context: {
        hash: found.packed.hash,
        // The same hash is the same files: no per-file comparison (20k entries in a large context).
        changedFiles: previous === null ? null : previous.hash === found.packed.hash ? [] : changedSince(previous, found.packed.files),
        since: previous?.hash ?? null,
      },
      defaultPorts: found.defaultPorts,
      ...(template === null ? {} : { notes: [...(service.notes ?? []), templateNote(template, { name: service.name, declared: service.nameDeclared === true })] }),
    });
  }
  return out;
}
