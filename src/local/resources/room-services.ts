// Room services: GET/POST …/rooms/{room}/services and GET/PUT/DELETE …/services/{id}.
// Every POST/PUT body is validated with the model rules of the platform generation spoken
// (platform.ts: `validateSpec`/`normaliseSpec`) and stored normalised — defaults filled in, nulls
// dropped — as the real server returns model defaults.
// Names (`metadata.name`) are unique per room. Template bodies are refused. Each create/update
// starts a new emulated container and a delete removes it (runtime/service-lifecycle.ts), in
// memory at once like the store change itself.
import { param, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import type { ServiceRecord } from "../state.js";
import { RawJson } from "../http/reply.js";
import { requireRoom } from "./rooms.js";

const BASE = "/accounts/projects/:pid/rooms/:room/services";

export function registerRoomServices(router: LocalRouter, context: ResourceContext): void {
  const requireService = (room: string, id: string): ServiceRecord => {
    const service = context.store.getService(room, id);
    if (service === undefined) throw notFound(`service "${id}" not found in room "${room}"`);
    return service;
  };

  /** A failed write rolled the store back: run the container of what is stored again. */
  const restore = (room: string, previous: ServiceRecord): void => {
    if (context.store.getService(room, previous.id) === previous) context.lifecycle.start(room, previous);
  };

  router.add("GET", BASE, (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    // Built from each stored service's JSON (computed once per record), not re-stringified.
    return new RawJson(`{"services":${context.store.listServicesJson(room) ?? "[]"}}`);
  });

  router.add("POST", BASE, async (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    const id = context.newId();
    const service = normalise(context, await request.json(), id);
    assertNameFree(context, room, service, id);
    const written = context.store.putService(room, service);
    context.lifecycle.start(room, service);
    await written.catch((error: unknown) => {
      context.lifecycle.remove(room, id); // rolled back: the service is not there
      throw error;
    });
    return { id };
  });

  router.add("GET", `${BASE}/:id`, (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    return requireService(room, param(request, "id"));
  });

  router.add("PUT", `${BASE}/:id`, async (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    const id = param(request, "id");
    requireService(room, id);
    const body = await request.json();
    const previous = requireService(room, id);
    if (body.id !== undefined && body.id !== null && body.id !== id) {
      throw badRequest(`body "id" (${JSON.stringify(body.id)}) does not match the service id in the path ("${id}")`);
    }
    const service = normalise(context, body, id);
    assertNameFree(context, room, service, id);
    const written = context.store.putService(room, service);
    context.lifecycle.start(room, service);
    await written.catch((error: unknown) => {
      restore(room, previous);
      throw error;
    });
    return {};
  });

  router.add("DELETE", `${BASE}/:id`, async (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    const id = param(request, "id");
    const previous = requireService(room, id);
    const written = context.store.deleteService(room, id);
    context.lifecycle.remove(room, id);
    await written.catch((error: unknown) => {
      restore(room, previous);
      throw error;
    });
    return {};
  });
}

/** Validates a spec body and returns what is stored: `{id, ...spec with defaults, no nulls}`. */
function normalise(context: ResourceContext, body: Record<string, unknown>, id: string): ServiceRecord {
  if ("template" in body) {
    throw badRequest("service templates are not supported by the local room: send a ServiceSpec (kind: Service) instead");
  }
  const issues = context.platform.validateSpec(body);
  if (issues.length > 0) {
    const listed = issues.map((issue) => `${issue.path === "" ? "(spec)" : issue.path}: ${issue.message}`).join("; ");
    throw badRequest(`invalid service spec (${issues.length} ${issues.length === 1 ? "problem" : "problems"}): ${listed}`);
  }
  return context.platform.normaliseSpec(body, id);
}

function assertNameFree(context: ResourceContext, room: string, service: ServiceRecord, id: string): void {
  const name = serviceName(service);
  if (name === undefined) return;
  const other = context.store.serviceNamed(room, name, id);
  if (other !== undefined) {
    throw conflict(`a service named "${name}" already exists in room "${room}" (id ${other})`);
  }
}

function serviceName(service: ServiceRecord): string | undefined {
  const metadata = service.metadata;
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return undefined;
  const name = metadata.name;
  return typeof name === "string" ? name : undefined;
}
