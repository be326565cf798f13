// The persisted shape of a local room's state (DIR/state.json) and its pure (de)serialisation.
// Loading validates the structure and fails loudly: a state file we cannot read is never
// silently replaced by an empty one.
import type { JsonObject } from "../model/service-spec.js";

export const STATE_FORMAT = "meshdeploy-local-state";
export const STATE_VERSION = 1;

export interface RoomRecord {
  id: string;
  name: string;
  metadata: JsonObject;
  annotations: Record<string, string>;
}

/** A stored service: the normalised spec with its id first. */
export type ServiceRecord = JsonObject & { id: string };

/** A legacy (0.39.x) route. `port` is a string on the wire. */
export interface RouteRecord {
  domain: string;
  room_name: string;
  port: string;
  annotations: Record<string, string>;
}

/** A room secret (0.39 room secrets, platform-api.md §3.2). `data_base64` is never listed or logged. */
export interface SecretRecord {
  room: string;
  id: string;
  /** The identity the secret belongs to; null = the caller's own (the local room has one user). */
  for_identity: string | null;
  delegated_to: string | null;
  name: string;
  type: string;
  data_base64: string;
}

/** An image a local build recorded: the tag's current digest. */
export interface ImageRecord {
  tag: string;
  digest: string;
  build_id: string;
  created_at: string;
}

export interface StateData {
  createdAt: string;
  rooms: { room: RoomRecord; services: ServiceRecord[] }[];
  routes: RouteRecord[];
  secrets: SecretRecord[];
  images: ImageRecord[];
}

export class StateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFormatError";
  }
}

/**
 * Renders the state file. `serviceJson` lets the store reuse each stored service's JSON between
 * writes (records are immutable once stored), so a write costs little more than the fsync.
 */
export function serializeState(data: StateData, serviceJson: (service: ServiceRecord) => string = (service) => JSON.stringify(service)): string {
  const rooms = data.rooms.map(({ room, services }) => {
    const head = JSON.stringify(room).slice(0, -1); // an object: drop its closing brace
    return `${head},"services":[${services.map(serviceJson).join(",")}]}`;
  });
  const header = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, created_at: data.createdAt }).slice(0, -1);
  const rest = `"routes":${JSON.stringify(data.routes)},"secrets":${JSON.stringify(data.secrets)},"images":${JSON.stringify(data.images)}`;
  return `${header},"rooms":[${rooms.join(",")}],${rest}}`;
}

/** Parses a state file's text; throws StateFormatError saying what is wrong. */
export function parseState(text: string): StateData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StateFormatError(`not valid JSON (${(error as Error).message})`);
  }
  const root = object(value, "the file");
  if (root.format !== STATE_FORMAT) throw new StateFormatError(`"format" is not "${STATE_FORMAT}"`);
  if (root.version !== STATE_VERSION) {
    throw new StateFormatError(`unsupported version ${JSON.stringify(root.version)} (this meshdeploy reads version ${STATE_VERSION})`);
  }
  return {
    createdAt: string(root.created_at, "created_at"),
    rooms: array(root.rooms, "rooms").map((item, index) => parseRoom(item, `rooms[${index}]`)),
    routes: array(root.routes, "routes").map((item, index) => parseRoute(item, `routes[${index}]`)),
    // Absent in files written before secrets and builds existed: same version, empty lists.
    secrets: array(root.secrets ?? [], "secrets").map((item, index) => parseSecret(item, `secrets[${index}]`)),
    images: array(root.images ?? [], "images").map((item, index) => parseImage(item, `images[${index}]`)),
  };
}

function parseRoom(value: unknown, at: string): StateData["rooms"][number] {
  const raw = object(value, at);
  const room: RoomRecord = {
    id: string(raw.id, `${at}.id`),
    name: string(raw.name, `${at}.name`),
    metadata: object(raw.metadata, `${at}.metadata`) as JsonObject,
    annotations: stringMap(raw.annotations, `${at}.annotations`),
  };
  const services = array(raw.services, `${at}.services`).map((item, index) => {
    const service = object(item, `${at}.services[${index}]`);
    string(service.id, `${at}.services[${index}].id`);
    return service as ServiceRecord;
  });
  return { room, services };
}

function parseRoute(value: unknown, at: string): RouteRecord {
  const raw = object(value, at);
  return {
    domain: string(raw.domain, `${at}.domain`),
    room_name: string(raw.room_name, `${at}.room_name`),
    port: string(raw.port, `${at}.port`),
    annotations: stringMap(raw.annotations, `${at}.annotations`),
  };
}

function parseSecret(value: unknown, at: string): SecretRecord {
  const raw = object(value, at);
  return {
    room: string(raw.room, `${at}.room`),
    id: string(raw.id, `${at}.id`),
    for_identity: nullableString(raw.for_identity, `${at}.for_identity`),
    delegated_to: nullableString(raw.delegated_to, `${at}.delegated_to`),
    name: string(raw.name, `${at}.name`),
    type: string(raw.type, `${at}.type`),
    data_base64: string(raw.data_base64, `${at}.data_base64`),
  };
}

function parseImage(value: unknown, at: string): ImageRecord {
  const raw = object(value, at);
  return {
    tag: string(raw.tag, `${at}.tag`),
    digest: string(raw.digest, `${at}.digest`),
    build_id: string(raw.build_id, `${at}.build_id`),
    created_at: string(raw.created_at, `${at}.created_at`),
  };
}

function nullableString(value: unknown, at: string): string | null {
  return value === null || value === undefined ? null : string(value, at);
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StateFormatError(`${at} is not an object`);
  return value as Record<string, unknown>;
}

function array(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new StateFormatError(`${at} is not an array`);
  return value;
}

function string(value: unknown, at: string): string {
  if (typeof value !== "string") throw new StateFormatError(`${at} is not a string`);
  return value;
}

function stringMap(value: unknown, at: string): Record<string, string> {
  const raw = object(value, at);
  for (const [key, item] of Object.entries(raw)) string(item, `${at}.${key}`);
  return raw as Record<string, string>;
}
