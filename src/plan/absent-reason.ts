// The reason of a create: why a declared service is absent from its room. Pure.
import { SERVICE_ID, isOwnedBy } from "../model/annotations.js";
import type { Route } from "../model/service-spec.js";
import type { ResolvedService } from "../model/wire.js";

/**
 * Why a declared service is absent. meshdeploy keeps no record of what it deployed (the room is
 * the record), so absence alone cannot tell "never deployed" from "deleted outside meshdeploy";
 * a route meshdeploy made for this service in this room, still there, can (prune and a domain
 * change delete such a route with the service).
 */
export function absentReason(service: ResolvedService, routes: readonly Route[] | null, owner: string): string {
  const left = routes?.find((r) => r.room_name === service.room && r.annotations[SERVICE_ID] === service.name && isOwnedBy(r.annotations, owner));
  if (left !== undefined) return `missing: deleted outside meshdeploy (room ${service.room} still has the route ${left.domain} meshdeploy made for it); apply creates it again`;
  return `not present in room ${service.room} (never deployed, or deleted outside meshdeploy)`;
}
