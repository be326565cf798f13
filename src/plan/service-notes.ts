// The notes and warnings a planned service carries: what the server adds on its own (a default
// template), what adopting does, a tag that hides new images. Plain strings and data. Pure.
import { CONTEXT_HASH, MANAGED_BY } from "../model/annotations.js";
import { hasFeature } from "../model/platform.js";
import type { LiveService, Route } from "../model/service-spec.js";
import type { ResolvedService, WirePlatform } from "../model/wire.js";
import { tagWarnings } from "./tag-warnings.js";
import type { PlanWarning } from "./types.js";

/**
 * 0.41.4+: a service created without `template:` gets the server's default, `agent`
 * (api@6d950a5 specs/service.py ContainerSpec.template), which adds what the config never asked
 * for; the 0.50.1 CLI writes it explicitly too (`--template agent`).
 */
export function createNotes(service: ResolvedService, platform: WirePlatform): string[] {
  if (service.template !== null || !hasFeature(platform, "containerTemplate")) return [];
  return ["no `template:` declared: the server applies its default, `agent`, which mounts room storage at /data and injects MESHAGENT_TOKEN and the AI provider keys unless set explicitly; declare `template: none` for a plain container"];
}

export function withNotes(notes: string[]): { notes?: string[] } {
  return notes.length === 0 ? {} : { notes };
}

export function withWarnings(service: ResolvedService): { warnings?: PlanWarning[] } {
  const warnings = tagWarnings(service);
  return warnings.length === 0 ? {} : { warnings };
}

/** What adopting does that a reviewer should see plainly: a rebuild and restart, the route taken over. */
export function adoptNotes(service: ResolvedService, live: LiveService, routes: readonly Route[] | null, what: { build: boolean; keptImage: boolean; restart: boolean }): string[] {
  const notes: string[] = [];
  if (what.build) {
    notes.push(`adopting a service meshdeploy did not build: it has no build record (${CONTEXT_HASH}), so apply rebuilds the image from ${service.build?.context ?? "its context"} and restarts the service; --no-rebuild-on-adopt keeps the running image when its tag is ${service.image}`);
  } else if (what.keptImage) {
    notes.push(`--no-rebuild-on-adopt: the running image ${live.container?.image ?? ""} is kept and recorded as built from the current context; nothing is rebuilt`);
  } else if (what.restart) {
    notes.push("adopting changes the container (see below): apply restarts the service");
  }
  const route = service.domain === null ? undefined : routes?.find((r) => r.domain === service.domain);
  if (route !== undefined && route.annotations[MANAGED_BY] === undefined) {
    notes.push(`takes over the route ${route.domain} (made outside meshdeploy): it gets meshdeploy's ownership annotations, and removing \`domain:\` later deletes it`);
  }
  return notes;
}
