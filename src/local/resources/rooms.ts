// Rooms: create (POST …/rooms, with if_not_exists), get (GET …/rooms/{name}) and list
// (GET …/rooms). Also the helpers other resources use to insist that a room exists.
import type { JsonObject } from "../../model/service-spec.js";
import { param, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import type { RoomRecord } from "../state.js";
import { optionalStringMap, pageParams } from "./fields.js";
import { ROOM_NAME_MAX_LENGTH, ROOM_NAME_PATTERN } from "../../model/room-name.js";


/** Why `name` is not a valid MeshAgent room name (api helpers.py is_valid_room_name), or null. */
export function roomNameProblem(name: string): string | null {
  if (name.length < 1 || name.length > ROOM_NAME_MAX_LENGTH) return `room name "${name}" must be 1 to ${ROOM_NAME_MAX_LENGTH} characters long`;
  if (!ROOM_NAME_PATTERN.test(name)) {
    return `room name "${name}" is invalid: use lower-case letters, digits and "-", starting and ending with a letter or digit`;
  }
  return null;
}

export function requireRoom(context: ResourceContext, name: string): RoomRecord {
  const room = context.store.getRoom(name);
  if (room === undefined) throw notFound(`room "${name}" not found in project "${context.project.id}"`);
  return room;
}

/** Creates the room if it does not exist; resolves once it is durable. Used at start-up too. */
export async function ensureRoom(context: ResourceContext, name: string): Promise<RoomRecord> {
  const existing = context.store.getRoom(name);
  if (existing !== undefined) return existing;
  const room: RoomRecord = { id: context.newId(), name, metadata: {}, annotations: {} };
  await context.store.addRoom(room);
  return room;
}

export function registerRooms(router: LocalRouter, context: ResourceContext): void {
  router.add("POST", "/accounts/projects/:pid/rooms", async (request) => {
    const body = await request.json();
    if (typeof body.name !== "string") throw badRequest(`"name" is required and must be a string`);
    const problem = roomNameProblem(body.name);
    if (problem !== null) throw badRequest(problem);
    if (body.if_not_exists !== undefined && body.if_not_exists !== null && typeof body.if_not_exists !== "boolean") {
      throw badRequest(`"if_not_exists" must be a boolean`);
    }
    if (body.metadata !== undefined && body.metadata !== null && !isPlainObject(body.metadata)) {
      throw badRequest(`"metadata" must be an object`);
    }
    const annotations = optionalStringMap(body.annotations, "annotations");
    const existing = context.store.getRoom(body.name);
    if (existing !== undefined) {
      if (body.if_not_exists === true) return existing;
      throw conflict(`room "${body.name}" already exists in project "${context.project.id}"`);
    }
    const room: RoomRecord = {
      id: context.newId(),
      name: body.name,
      metadata: (isPlainObject(body.metadata) ? body.metadata : {}) as JsonObject,
      annotations,
    };
    await context.store.addRoom(room);
    return room;
  });

  router.add("GET", "/accounts/projects/:pid/rooms", (request) => {
    const { count, offset } = pageParams(request.query, "limit");
    const rooms = context.store.listRooms().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { rooms: rooms.slice(offset, offset + count), total: rooms.length };
  });

  router.add("GET", "/accounts/projects/:pid/rooms/:room", (request) => requireRoom(context, param(request, "room")));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
