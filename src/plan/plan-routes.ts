// Route steps for a service's `domain:` (cli@0.39.9 `_resolve_domain_route_target`,
// `_upsert_domain_route`): exactly one published integer port; the route carries the service id
// annotation plus meshdeploy's ownership, so only routes meshdeploy created are ever deleted, and
// a route with more than one room port at "/" is a plan problem, never rewritten. Pure.
import { DOMAIN, MANAGED_BY, MANAGED_BY_VALUE, OWNER, SERVICE_ID, isOwnedBy } from "../model/annotations.js";
import { unmanagedRouteShape } from "../model/route-spec.js";
import type { LiveService, PortSpec, Route } from "../model/service-spec.js";
import type { ResolvedService } from "../model/wire.js";
import type { Change, RouteStep } from "./types.js";

export interface RouteProblem {
  message: string;
  hint: string;
}

export interface RoutePlan {
  steps: RouteStep[];
  changes: Change[];
  problem: RouteProblem | null;
}

function publishedPort(ports: readonly PortSpec[]): { port: string | null; problem: RouteProblem | null } {
  const published = ports.filter((p) => p.published && typeof p.num === "number");
  if (published.length === 1) return { port: String(published[0]!.num), problem: null };
  const what = published.length === 0 ? "the service has none" : "the service has multiple published ports";
  return { port: null, problem: { message: `domain requires exactly one published service port; ${what}`, hint: "declare `ports:` with one `published: true` port" } };
}

/** The route that deleting or moving away from `domain` may remove: only one meshdeploy made for this service. */
function ownedRoute(routes: readonly Route[] | null, domain: string, name: string, owner: string): Route | null {
  const route = routes?.find((r) => r.domain === domain) ?? null;
  return route && isOwnedBy(route.annotations, owner) && route.annotations[SERVICE_ID] === name ? route : null;
}

export function planRoutes(
  service: ResolvedService,
  ports: readonly PortSpec[],
  live: LiveService | null,
  routes: readonly Route[] | null,
  owner: string,
): RoutePlan {
  const steps: RouteStep[] = [];
  const changes: Change[] = [];
  const previous = live?.metadata.annotations?.[DOMAIN] ?? null;
  const previousRoute = previous !== null && previous !== service.domain ? ownedRoute(routes, previous, service.name, owner) : null;
  const previousUnmanaged = previousRoute === null ? null : unmanagedRouteProblem(previousRoute);
  if (previousUnmanaged !== null) return { steps, changes, problem: previousUnmanaged };
  if (previous !== null && previousRoute !== null) {
    steps.push({ type: "delete", domain: previous });
    changes.push({ path: `route[${previous}]`, before: `${service.room}:${previousRoute.port}`, after: null });
  }
  if (service.domain === null) return { steps, changes, problem: null };

  const { port, problem } = publishedPort(ports);
  if (port === null) return { steps, changes, problem };
  const existing = routes?.find((r) => r.domain === service.domain) ?? null;
  const unmanaged = existing === null ? null : unmanagedRouteProblem(existing);
  if (unmanaged !== null) return { steps, changes, problem: unmanaged };
  // Refused at plan time, before anything is written (apply-route.ts checks again for a race).
  if (existing !== null && existing.room_name !== service.room) {
    return {
      steps,
      changes,
      problem: {
        message: `domain ${service.domain} already routes to room ${existing.room_name}; refusing to change it to room ${service.room}`,
        hint: "pick another domain, or remove the route from the other room first",
      },
    };
  }
  const annotations = {
    ...(existing?.annotations ?? {}),
    [SERVICE_ID]: service.name,
    [MANAGED_BY]: MANAGED_BY_VALUE,
    [OWNER]: owner,
  };
  const after = `${service.room}:${port}`;
  if (existing === null) {
    steps.push({ type: "create", domain: service.domain, room: service.room, port, annotations });
    changes.push({ path: `route[${service.domain}]`, before: null, after });
  } else if (existing.port !== port || JSON.stringify(sorted(existing.annotations)) !== JSON.stringify(sorted(annotations))) {
    steps.push({ type: "update", domain: service.domain, room: service.room, port, annotations });
    changes.push({ path: `route[${service.domain}]`, before: `${existing.room_name}:${existing.port}`, after });
  }
  return { steps, changes, problem: null };
}

/**
 * Routes to remove with a pruned service. A route meshdeploy made that has since gained paths
 * elsewhere is left in place: deleting it would drop those paths.
 */
export function routesOfDeleted(live: LiveService, routes: readonly Route[] | null, owner: string): RouteStep[] {
  const domain = live.metadata.annotations?.[DOMAIN];
  const route = domain ? ownedRoute(routes, domain, live.metadata.name, owner) : null;
  return domain && route && unmanagedRouteShape(route.shape) === null ? [{ type: "delete", domain }] : [];
}

/**
 * A route that is more than one room port at "/" (several paths, room content, an agent backend:
 * RouteSpec, 0.40.3+) was made elsewhere; writing or deleting it would drop what meshdeploy does
 * not model, so it is a plan problem and nothing is written.
 */
export function unmanagedRouteProblem(route: Route): RouteProblem | null {
  const shape = unmanagedRouteShape(route.shape);
  if (shape === null) return null;
  return {
    message: `domain ${route.domain} has a route meshdeploy cannot manage (${shape}); meshdeploy manages only single-port routes (one room port at "/") and will not rewrite or delete it`,
    hint: `remove \`domain: ${route.domain}\` from this service and manage that route with the meshagent CLI, or pick another domain`,
  };
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
