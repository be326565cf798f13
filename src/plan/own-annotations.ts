// The annotations meshdeploy records on every service it writes (DESIGN.md "Annotations"). Pure.
import { CONTEXT_HASH, DECLARED, DOMAIN, MANAGED_BY, MANAGED_BY_VALUE, OWNER, PROTECT, SPEC_HASH } from "../model/annotations.js";
import type { ResolvedService } from "../model/wire.js";

export function ownAnnotations(service: ResolvedService, owner: string, specHash: string, declared: string): Record<string, string> {
  return {
    [MANAGED_BY]: MANAGED_BY_VALUE,
    [OWNER]: owner,
    [SPEC_HASH]: specHash,
    [DECLARED]: declared,
    ...(service.context === null ? {} : { [CONTEXT_HASH]: service.context.hash }),
    ...(service.domain === null ? {} : { [DOMAIN]: service.domain }),
    ...(service.protect ? { [PROTECT]: "true" } : {}),
  };
}

/** Keys whose absence on the live side must also clear them (a domain that was removed). */
export const OWN_KEYS = [MANAGED_BY, OWNER, SPEC_HASH, DECLARED, CONTEXT_HASH, DOMAIN, PROTECT] as const;
