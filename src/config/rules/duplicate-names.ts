// Two services that derive the same service name in the same room would overwrite each other
// (the platform upserts by name). `findDuplicateServiceNames` takes the naming function so the
// engine can re-run it with the real project key; `duplicateNameRule` runs it offline for
// `validate`. Pure.
import { ImageRefError, resolveImage } from "../../model/image-ref.js";
import type { Diagnostic } from "../../diagnostic.js";
import type { DesiredService } from "../../model/desired.js";
import { diagnostic, type RuleContext } from "./context.js";

/** Error at each later service whose (room, derived name) repeats an earlier one's. */
export function findDuplicateServiceNames(
  services: readonly DesiredService[],
  nameOf: (service: DesiredService) => string | null,
): Diagnostic[] {
  const first = new Map<string, DesiredService>();
  const out: Diagnostic[] = [];
  for (const service of services) {
    const name = nameOf(service);
    if (name === null || service.room === "") continue; // reported by the tag and room rules
    const key = `${service.room}\u0000${name}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, service);
      continue;
    }
    out.push(
      diagnostic(
        "duplicate-service-name",
        service.locations.name ?? service.locations.tag,
        `duplicate service name \`${name}\` in room \`${service.room}\`: the service at line ${(earlier.locations.name ?? earlier.locations.tag).line} ${earlier.name === null ? "derives" : "is given"} the same name`,
        "a service is named after its image repository (registry and tag dropped), so both would update one service; keep one, or put them in different rooms",
      ),
    );
  }
  return out;
}

// resolveImage re-parses a reference it rebuilds under the project, so a placeholder key must
// itself be valid. Deriving with two different keys tells which names contain the key: those are
// shown as `<project-key>-…` and can only collide with each other, never with a written name.
const REGISTRY = "registry.meshagent.com";
const KEY = "project-key";
const OTHER_KEY = "other-project-key";

/** The service name `validate` shows without network access; null when the tag is invalid. */
export function offlineServiceName(tag: string): string | null {
  try {
    const name = resolveImage(tag, { projectRegistry: REGISTRY, projectKey: KEY }, "deploy").serviceName;
    const other = resolveImage(tag, { projectRegistry: REGISTRY, projectKey: OTHER_KEY }, "deploy").serviceName;
    return name !== other && name.startsWith(`${KEY}-`) ? `<project-key>-${name.slice(KEY.length + 1)}` : name;
  } catch (error) {
    if (error instanceof ImageRefError) return null;
    throw error;
  }
}

export function duplicateNameRule(ctx: RuleContext): Diagnostic[] {
  return findDuplicateServiceNames(ctx.services, (service) => service.name ?? offlineServiceName(service.tag));
}
