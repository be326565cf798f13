// Routes (domains → room port), in the 0.39 legacy shapes (platform-api.md §3.2):
// POST/GET/PUT/DELETE /accounts/projects/{pid}/routes[/{domain}] and the paged listings
// GET …/routes and GET …/rooms/{room}/routes (`count`/`offset`).
import { param, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import type { RouteRecord } from "../state.js";
import { optionalStringMap, pageParams, requiredString } from "./fields.js";
import { requireRoom } from "./rooms.js";

export function registerDomainRoutes(router: LocalRouter, context: ResourceContext): void {
  const requireRoute = (domain: string): RouteRecord => {
    const route = context.store.getRoute(domain);
    if (route === undefined) throw notFound(`route for domain "${domain}" not found in project "${context.project.id}"`);
    return route;
  };

  router.add("POST", "/accounts/projects/:pid/routes", async (request) => {
    const body = await request.json();
    rejectRouteSpec(body);
    const domain = requiredString(body, "domain");
    if (/[\s/]/.test(domain)) throw badRequest(`"domain" must be a host name, got "${domain}"`);
    const route = routeFields(body, domain);
    if (context.store.getRoute(domain) !== undefined) {
      throw conflict(`a route for domain "${domain}" already exists in project "${context.project.id}"`);
    }
    requireRoom(context, route.room_name);
    await context.store.putRoute(route);
    return {};
  });

  router.add("GET", "/accounts/projects/:pid/routes", (request) => page(context.store.listRoutes(), request.query));

  router.add("GET", "/accounts/projects/:pid/rooms/:room/routes", (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    return page(context.store.listRoutes().filter((route) => route.room_name === room), request.query);
  });

  router.add("GET", "/accounts/projects/:pid/routes/:domain", (request) => ({ route: requireRoute(param(request, "domain")) }));

  router.add("PUT", "/accounts/projects/:pid/routes/:domain", async (request) => {
    const domain = param(request, "domain");
    requireRoute(domain);
    const body = await request.json();
    rejectRouteSpec(body);
    if (body.domain !== undefined && body.domain !== null && body.domain !== domain) {
      throw badRequest(`body "domain" ("${String(body.domain)}") does not match the domain in the path ("${domain}")`);
    }
    const route = routeFields(body, domain);
    requireRoom(context, route.room_name);
    await context.store.putRoute(route);
    return {};
  });

  router.add("DELETE", "/accounts/projects/:pid/routes/:domain", async (request) => {
    const domain = param(request, "domain");
    requireRoute(domain);
    await context.store.deleteRoute(domain);
    return {};
  });
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

/** MeshAgent ≥0.41 clients send {"spec": RouteSpec}; say so instead of "room_name is required". */
function rejectRouteSpec(body: Record<string, unknown>): void {
  if ("spec" in body) {
    throw badRequest(`RouteSpec bodies ({"spec": …}, MeshAgent 0.41+) are not supported by the local room: send the 0.39 shape {domain, room_name, port, annotations}`);
  }
}

function page(routes: RouteRecord[], query: URLSearchParams): { routes: RouteRecord[]; total: number } {
  const { count, offset } = pageParams(query, "count");
  return { routes: routes.slice(offset, offset + count), total: routes.length };
}
