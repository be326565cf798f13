// Provenance: which commit of which file a service was last written from. Recorded on every
// service meshdeploy writes, never compared: a new commit that changes nothing for a service does
// not rewrite it, and provenance rides along with writes that happen anyway. Without provenance
// (the config is not in a git tree) a write clears stale keys instead of leaving a wrong commit on
// the service. Pure.
import type { ServiceSpec } from "./service-spec.js";

export const GIT_SHA = "meshdeploy.git-sha";
export const GIT_DIRTY = "meshdeploy.git-dirty";
export const SOURCE = "meshdeploy.source";
export const PROVENANCE_KEYS = [GIT_SHA, GIT_DIRTY, SOURCE] as const;

export interface Provenance {
  gitSha: string;
  /** Uncommitted changes in the work tree when the plan was made. */
  gitDirty: boolean;
  /** `<remote URL without credentials>#<repo-relative path>`, or the path alone without a remote. */
  source: string;
}

export function provenanceAnnotations(provenance: Provenance): Record<string, string> {
  return { [GIT_SHA]: provenance.gitSha, [GIT_DIRTY]: String(provenance.gitDirty), [SOURCE]: provenance.source };
}

/** A copy of `spec` whose provenance annotations are exactly `provenance`'s (none when null). */
export function withProvenance(spec: ServiceSpec, provenance: Provenance | null): ServiceSpec {
  const annotations = { ...(spec.metadata.annotations ?? {}) };
  for (const key of PROVENANCE_KEYS) delete annotations[key];
  Object.assign(annotations, provenance === null ? {} : provenanceAnnotations(provenance));
  return { ...spec, metadata: { ...spec.metadata, annotations } };
}
