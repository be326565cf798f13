// For services with `build:`: inspect the context offline (inspect-context.ts: pack, hash, the
// Dockerfile's EXPOSE defaults and VOLUME/label checks) and name the files changed since the last
// build meshdeploy made. Problems become diagnostics located at the service's `build:` key;
// nothing is sent anywhere.
import { changedFiles, type HashCache } from "../build-context/context-hash.js";
import { readDeployTemplate, templateNote } from "../build-context/deploy-template.js";
import type { ResolvedService } from "../model/wire.js";
import type { ContextManifests } from "./context-manifests.js";
import { inspectContexts } from "./inspect-context.js";

export interface ContextOptions {
  cache: HashCache;
  manifests: ContextManifests;
  /** Absolute directories never packed (meshdeploy's own state). */
  exclude: readonly string[];
}

export async function readContexts(services: readonly ResolvedService[], options: ContextOptions): Promise<ResolvedService[]> {
  const facts = await inspectContexts(services, { cache: options.cache, exclude: options.exclude });
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
    out.push({
      ...service,
      context: {
        hash: found.packed.hash,
        changedFiles: previous ? changedFiles(new Map(Object.entries(previous.files)), found.packed.files) : null,
        since: previous?.hash ?? null,
      },
      defaultPorts: found.defaultPorts,
      ...(template === null ? {} : { notes: [...(service.notes ?? []), templateNote(template, { name: service.name, declared: service.nameDeclared === true })] }),
    });
  }
  return out;
}
