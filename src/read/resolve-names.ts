// Desired services → ResolvedService: MeshAgent's tag normalisation and service names with the
// real project registry and key (fetched once, only when some tag needs them). Services with
// `build:` follow the CLI's PATH rules (mode "build": project registry and key required). Naming problems
// and derived-name collisions become located diagnostics, exactly like config errors.
import type { DesiredService, DesiredState } from "../model/desired.js";
import type { Diagnostic } from "../diagnostic.js";
import { findDuplicateServiceNames } from "../config/rules.js";
import { ConfigError } from "../errors.js";
import { ImageRefError, needsNamingContext, resolveImage, type NamingContext, type TagMode } from "../model/image-ref.js";
import type { ResolvedService } from "../model/wire.js";
import type { Target } from "../platform/target.js";

export async function resolveNames(desired: DesiredState, target: Pick<Target, "namingContext">): Promise<ResolvedService[]> {
  const modeOf = (s: DesiredService): TagMode => (s.build ? "build" : "deploy");
  const needed = desired.services.some((s) => needsNamingContext(s.tag, modeOf(s)));
  // Without a look-up the context is never read (deploy mode, multi-component repositories).
  const ctx: NamingContext = needed ? await target.namingContext() : { projectRegistry: "", projectKey: "" };
  const diagnostics: Diagnostic[] = [];
  const resolved: ResolvedService[] = [];
  for (const service of desired.services) {
    try {
      const { image, serviceName } = resolveImage(service.tag, ctx, modeOf(service));
      // `name:` is the one exception to tag-derived names (a service deployed under a template's name).
      resolved.push({ ...service, image, name: service.name ?? serviceName, ...(service.name === null ? {} : { nameDeclared: true as const }), context: null, defaultPorts: null });
    } catch (error) {
      if (!(error instanceof ImageRefError)) throw error;
      const hint = modeOf(service) === "build" && ctx.projectRegistry !== ""
        ? `a build: image is pushed to the project registry: write a single name (web:1), or ${ctx.projectRegistry}/${ctx.projectKey}/<repository>:<tag>`
        : undefined;
      diagnostics.push({ rule: "image-tag", message: error.message, location: service.locations.tag, ...(hint === undefined ? {} : { hint }) });
    }
  }
  const names = new Map(resolved.map((s) => [s.index, s.name]));
  diagnostics.push(...findDuplicateServiceNames(desired.services, (s) => names.get(s.index) ?? null));
  if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  return resolved;
}
