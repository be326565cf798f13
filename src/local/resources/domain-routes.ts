// Routes (domains → room port): POST/GET/PUT/DELETE /accounts/projects/{pid}/routes[/{domain}] and
// the listings GET …/routes and GET …/rooms/{room}/routes.
// 0.39.9: the legacy flat shapes (platform-api.md §3.2), `count`/`offset` paging, `{"spec"}` refused.
// 0.50.1: bodies are `{"spec": RouteSpec}` (route-spec.ts) and answers `{domain, spec}`
// (api@6d950a5 client.py `create_route`, `update_route`, `Route`); a legacy flat body is migrated
// as `_CreateRouteRequest` does when lenient, refused when strict. The project listing pages with
// `page_size`/`continuation_token` (0.44.7); the room listing keeps `count`/`offset`.
import type { JsonObject } from "../../model/service-spec.js";
import { param, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import { legacyOfRouteSpec, routeSpecOfLegacy, validateRouteSpec } from "../route-spec.js";
import type { RouteRecord } from "../state.js";
import { pageByToken } from "./continuation.js";
import { DEFAULT_PAGE_SIZE, optionalStringMap, pageParams, requiredString } from "./fields.js";
import { requireRoom } from "./rooms.js";

export function registerDomainRoutes(router: LocalRouter, context: ResourceContext): void {
  const { platform } = context;
  const requireRoute = (domain: string): RouteRecord => {
    const route = context.store.getRoute(domain);
    if (route === undefined) throw notFound(`route for domain "${domain}" not found in project "${context.project.id}"`);
    return route;
  };
  const answer = (route: RouteRecord): Record<string, unknown> => (platform.routeSpec ? specAnswer(route) : legacyAnswer(route));
  /** The route a create/update body asks for; `pathDomain` is the PUT path's domain (null on POST). */
  const routeOf = (body: Record<string, unknown>, pathDomain: string | null): RouteRecord => {
    if ("spec" in body) {
      if (!platform.routeSpec) {
        throw badRequest(`RouteSpec bodies ({"spec": …}, MeshAgent 0.41+) are not supported by the local room: send the 0.39 shape {domain, room_name, port, annotations}`);
      }
      return specRoute(body, pathDomain);
    }
    if (!platform.legacyRouteBodies) {
      throw badRequest(`route bodies are {"spec": RouteSpec} at MeshAgent 0.50.1 (this local room is strict): the legacy flat body {domain, room_name, port, annotations} is refused`);
    }
    const domain = pathDomain ?? requiredString(body, "domain");
    checkDomain(domain);
    if (pathDomain !== null && body.domain !== undefined && body.domain !== null && body.domain !== pathDomain) {
      throw badRequest(`body "domain" ("${String(body.domain)}") does not match the domain in the path ("${pathDomain}")`);
    }
    const route = routeFields(body, domain);
    // Lenient 0.50.1 stores what the server's migration of a flat body would (`migrate_legacy_route`).
    return platform.routeSpec ? { ...route, spec: routeSpecOfLegacy(route) } : route;
  };
  const store = async (route: RouteRecord): Promise<void> => {
    // An agent backend (0.50.1) names no room.
    if (route.spec === undefined || route.room_name !== "") requireRoom(context, route.room_name);
    await context.store.putRoute(route);
  };

  router.add("POST", "/accounts/projects/:pid/routes", async (request) => {
    const route = routeOf(await request.json(), null);
    if (context.store.getRoute(route.domain) !== undefined) {
      throw conflict(`a route for domain "${route.domain}" already exists in project "${context.project.id}"`);
    }
    await store(route);
    return {};
  });

  router.add("GET", "/accounts/projects/:pid/routes", (request) => {
    if (!platform.routeSpec) return page(context.store.listRoutes(), request.query);
    const routes = context.store.listRoutes();
    const found = pageByToken(routes, request.query, DEFAULT_PAGE_SIZE);
    return { routes: found.items.map(specAnswer), total: routes.length, continuation_token: found.continuation_token };
  });

  router.add("GET", "/accounts/projects/:pid/rooms/:room/routes", (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    const listed = page(context.store.listRoutes().filter((route) => route.room_name === room), request.query);
    return { routes: listed.routes.map(answer), total: listed.total };
  });

  router.add("GET", "/accounts/projects/:pid/routes/:domain", (request) => ({ route: answer(requireRoute(param(request, "domain"))) }));

  router.add("PUT", "/accounts/projects/:pid/routes/:domain", async (request) => {
    const domain = param(request, "domain");
    requireRoute(domain);
    await store(routeOf(await request.json(), domain));
    return {};
  });

  router.add("DELETE", "/accounts/projects/:pid/routes/:domain", async (request) => {
    const domain = param(request, "domain");
    requireRoute(domain);
    await context.store.deleteRoute(domain);
    return {};
  });
}

/** A `{"spec": RouteSpec}` body as a stored route; the spec's domain must match the PUT path's. */
function specRoute(body: Record<string, unknown>, pathDomain: string | null): RouteRecord {
  const extra = Object.keys(body).filter((key) => key !== "spec");
  const checked = validateRouteSpec(body.spec);
  const issues = [...extra.map((key) => ({ path: key, message: "Extra inputs are not permitted" })), ...(checked.ok ? [] : checked.issues.map((issue) => ({ ...issue, path: issue.path === "" ? "spec" : `spec.${issue.path}` })))];
  if (issues.length > 0 || !checked.ok) {
    const listed = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
    throw badRequest(`invalid route (${issues.length} ${issues.length === 1 ? "problem" : "problems"}): ${listed}`);
  }
  const spec = checked.spec;
  const domain = spec.domain as string;
  checkDomain(domain);
  if (pathDomain !== null && domain !== pathDomain) {
    throw badRequest(`spec "domain" ("${domain}") does not match the domain in the path ("${pathDomain}")`);
  }
  return { domain, ...legacyOfRouteSpec(spec), spec };
}

function checkDomain(domain: string): void {
  if (domain === "" || /[\s/]/.test(domain)) throw badRequest(`"domain" must be a host name, got "${domain}"`);
}

/** 0.39.9: `{domain, room_name, port, annotations}`. */
function legacyAnswer(route: RouteRecord): Record<string, unknown> {
  const { domain, room_name, port, annotations } = route;
  return { domain, room_name, port, annotations };
}

/** 0.50.1: `{domain, spec}`; a route stored before the upgrade gets the spec its migration gives. */
function specAnswer(route: RouteRecord): { domain: string; spec: JsonObject } {
  return { domain: route.domain, spec: route.spec ?? routeSpecOfLegacy(route) };
}

function routeFields(body: Record<string, unknown>, domain: string): RouteRecord {
  return {
    domain,
    room_name: requiredString(body, "room_name"),
    port: portField(body.port),
    annotations: optionalStringMap(body.annotations, "annotations"),
  };
}

/** The wire port is a string ("8000"); an integer is accepted and stored as its string. */
function portField(value: unknown): string {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    throw badRequest(`"port" must be a port number from 1 to 65535 (as a string such as "8000"), got ${JSON.stringify(value) ?? "nothing"}`);
  }
  return String(Number(text));
}

function page(routes: RouteRecord[], query: URLSearchParams): { routes: RouteRecord[]; total: number } {
  const { count, offset } = pageParams(query, "count");
  return { routes: routes.slice(offset, offset + count), total: routes.length };
}
