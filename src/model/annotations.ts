// Annotation keys: the ones meshdeploy owns (DESIGN.md "Annotations") and the MeshAgent keys the
// 0.39.9 CLI writes on deploy (api@0.39.9 meshagent/api/specs/service.py).

export const MANAGED_BY = "meshdeploy.managed-by";
export const MANAGED_BY_VALUE = "meshdeploy";
export const OWNER = "meshdeploy.owner";
export const SPEC_HASH = "meshdeploy.spec-hash";
/**
 * Prefix apply writes before the spec-hash when a PUT landed but the restart after it failed:
 * the next plan sees an out-of-date hash and updates (and so restarts) the service again.
 */
export const RESTART_PENDING_PREFIX = "restart-pending:";
/** sha256 of the packed build context (only for services with `build:`). */
export const CONTEXT_HASH = "meshdeploy.context-hash";
/** The declared domain, so a later run can find (and remove) the route it created without listing routes every time. */
export const DOMAIN = "meshdeploy.domain";
/** After a digest-pinned build (0.42.2+): the declared tag, and the `sha256:…` the live image is pinned to. */
export const IMAGE_TAG = "meshdeploy.image-tag";
export const IMAGE_DIGEST = "meshdeploy.image-digest";
/**
 * Which optional fields the config declared when the spec-hash was written (e.g.
 * `environment,mounts.room,ports`; empty for none): undeclared ones are kept from live and left
 * out of the hash, so drift must be checked against the set the hash was made with.
 */
export const DECLARED = "meshdeploy.declared";
/** "true" when the config that last wrote the service said `protect: true`: prune never deletes it. */
export const PROTECT = "meshdeploy.protect";

export function isProtected(annotations: Record<string, string> | null | undefined): boolean {
  return annotations?.[PROTECT] === "true";
}

export const SERVICE_ID = "meshagent.service.id";
export const REQUEST_VALIDATION_METHOD = "meshagent.request.validation.method";
export const COOKIE_VALIDATION = "cookie";

export interface Ownership {
  managed: boolean;
  owner: string | null;
}

export function ownershipOf(annotations: Record<string, string> | null | undefined): Ownership {
  const managed = annotations?.[MANAGED_BY] === MANAGED_BY_VALUE;
  return { managed, owner: managed ? (annotations?.[OWNER] ?? null) : null };
}

/** True only when meshdeploy manages it AND the owner scope matches: the one test prune may use. */
export function isOwnedBy(annotations: Record<string, string> | null | undefined, owner: string): boolean {
  const o = ownershipOf(annotations);
  return o.managed && o.owner === owner;
}

/**
 * The CLI's `_update_request_validation_annotations`. 0.39.9: private services get the cookie
 * validation method; going public removes it only when it is the cookie value. 0.50.1 (cli@f5163bc)
 * adds modes: `cookie` sets it, `none` removes any method, `default` removes a cookie method.
 * Returns a new object.
 */
export function withRequestValidation(annotations: Record<string, string>, isPublic: boolean, mode: ValidationRule = "0.39"): Record<string, string> {
  const next = { ...annotations };
  if (mode === "cookie") next[REQUEST_VALIDATION_METHOD] = COOKIE_VALIDATION;
  else if (mode === "none") delete next[REQUEST_VALIDATION_METHOD];
  else if (!isPublic && mode === "0.39") next[REQUEST_VALIDATION_METHOD] = COOKIE_VALIDATION;
  // Public (any rule), or private under the 0.42+ default: a cookie method is removed.
  else if (next[REQUEST_VALIDATION_METHOD] === COOKIE_VALIDATION) delete next[REQUEST_VALIDATION_METHOD];
  return next;
}

/**
 * How request validation is written: "0.39" is the 0.39 CLI's rule (private → cookie); the others
 * are the --validation-mode of the CLI from 0.42 (`_update_request_validation_annotations`).
 */
export type ValidationRule = "0.39" | "default" | "cookie" | "none";
