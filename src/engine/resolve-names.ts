// Desired services → ResolvedService: MeshAgent's tag normalisation and service names with the
// real project registry and key (fetched once, only when some tag needs them). Naming problems
// and derived-name collisions become located diagnostics, exactly like config errors.
import type { DesiredState } from "../config/desired.js";
import type { Diagnostic } from "../config/diagnostic.js";
import { findDuplicateServiceNames } from "../config/rules.js";
import { ConfigError } from "../errors.js";
import { ImageRefError, needsNamingContext, resolveImage } from "../model/image-ref.js";
import type { ResolvedService } from "../model/wire.js";
import type { NamingContext, Target } from "../target/target.js";

export async function resolveNames(desired: DesiredState, target: Pick<Target, "namingContext">): Promise<ResolvedService[]> {
  const needed = desired.services.some((s) => needsNamingContext(s.tag, "deploy"));
  // Without a look-up the context is never read (deploy mode, multi-component repositories).
  const ctx: NamingContext = needed ? await target.namingContext() : { projectRegistry: "", projectKey: "" };
  const diagnostics: Diagnostic[] = [];
  const resolved: ResolvedService[] = [];
  for (const service of desired.services) {
    try {
      const { image, serviceName } = resolveImage(service.tag, ctx, "deploy");
      resolved.push({ ...service, image, name: serviceName });
    } catch (error) {
      if (!(error instanceof ImageRefError)) throw error;
      diagnostics.push({ rule: "image-tag", message: error.message, location: service.locations.tag });
    }
  }
  const names = new Map(resolved.map((s) => [s.index, s.name]));
  diagnostics.push(...findDuplicateServiceNames(desired.services, (s) => names.get(s.index) ?? null));
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return resolved;
}
