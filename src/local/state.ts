// The persisted shape of a local room's state (DIR/state.json) and its pure (de)serialisation.
// Loading validates the structure and fails loudly: a state file we cannot read is never
// silently replaced by an empty one.
import type { JsonObject } from "../model/service-spec.js";
import { isPlatformVersion, type PlatformVersion } from "./platform.js";

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

/**
 * A route. The legacy (0.39.x) fields are always set (`port` is a string on the wire); a route
 * written as a RouteSpec (0.50.1) also keeps its normalised `spec`, and the legacy fields are
 * derived from it (the room backend and the first path's target, as the 0.50.1 `Route` does).
 */
export interface RouteRecord {
  domain: string;
  room_name: string;
  port: string;
  annotations: Record<string, string>;
  spec?: JsonObject;
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

/** A service account (0.50.1; `project_id` is added when answered). */
export interface ServiceAccountRecord {
  id: string;
  key: string;
  name: string;
  email: string;
  display_name: string | null;
  description: string;
  metadata: JsonObject;
  annotations: Record<string, string>;
  created_at: string;
  updated_at: string;
}

/** One version of a service-account secret; `value_base64` is only answered by `…:access` and `include_value=true`. */
export interface SecretVersionRecord {
  id: string;
  version: number;
  value_base64: string;
  value_sha256: string;
  created_at: string;
}

/** A service-account secret (0.50.1): metadata plus versions, the value being the current version's. */
export interface AccountSecretRecord {
  id: string;
  service_account_id: string;
  name: string;
  type: string;
  http_only: boolean;
  metadata: JsonObject;
  annotations: JsonObject;
  current_version_id: string | null;
  versions: SecretVersionRecord[];
  created_at: string;
  updated_at: string;
}

export interface StateData {
  createdAt: string;
  /** The platform generation the data was written for; absent in files written before there was a choice (0.39.9). */
  platform?: PlatformVersion;
  rooms: { room: RoomRecord; services: ServiceRecord[] }[];
  routes: RouteRecord[];
  secrets: SecretRecord[];
  images: ImageRecord[];
  /** 0.50.1 only; absent = none. */
  serviceAccounts?: ServiceAccountRecord[];
  accountSecrets?: AccountSecretRecord[];
  /** The generation of DIR/state.journal that applies on top of this snapshot (journal.ts); absent = 0. */
  journal?: number;
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
  const header = JSON.stringify({ format: STATE_FORMAT, version: STATE_VERSION, platform: data.platform, created_at: data.createdAt, journal: data.journal }).slice(0, -1);
  let rest = `"routes":${JSON.stringify(data.routes)},"secrets":${JSON.stringify(data.secrets)},"images":${JSON.stringify(data.images)}`;
  if (data.serviceAccounts !== undefined) rest += `,"service_accounts":${JSON.stringify(data.serviceAccounts)}`;
  if (data.accountSecrets !== undefined) rest += `,"account_secrets":${JSON.stringify(data.accountSecrets)}`;
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
  if (root.platform !== undefined && !isPlatformVersion(root.platform)) {
    throw new StateFormatError(`unsupported platform ${JSON.stringify(root.platform)} (this meshdeploy speaks MeshAgent 0.39.9 and 0.50.1)`);
  }
  const data: StateData = {
    createdAt: string(root.created_at, "created_at"),
    rooms: array(root.rooms, "rooms").map((item, index) => parseRoom(item, `rooms[${index}]`)),
    routes: array(root.routes, "routes").map((item, index) => parseRoute(item, `routes[${index}]`)),
    // Absent in files written before secrets and builds existed: same version, empty lists.
    secrets: array(root.secrets ?? [], "secrets").map((item, index) => parseSecret(item, `secrets[${index}]`)),
    images: array(root.images ?? [], "images").map((item, index) => parseImage(item, `images[${index}]`)),
  };
  // Keys added later are set only when the file has them, so older files read back as they were.
  if (root.platform !== undefined) data.platform = root.platform;
  if (root.journal !== undefined) {
    if (typeof root.journal !== "number" || !Number.isInteger(root.journal) || root.journal < 0) throw new StateFormatError("journal is not a generation number");
    data.journal = root.journal;
  }
  if (root.service_accounts !== undefined) {
    data.serviceAccounts = array(root.service_accounts, "service_accounts").map((item, index) => parseAccount(item, `service_accounts[${index}]`));
  }
  if (root.account_secrets !== undefined) {
    data.accountSecrets = array(root.account_secrets, "account_secrets").map((item, index) => parseAccountSecret(item, `account_secrets[${index}]`));
  }
  return data;
}

function parseRoom(value: unknown, at: string): StateData["rooms"][number] {
  const raw = object(value, at);
  const room = parseRoomRecord(raw, at);
  const services = array(raw.services, `${at}.services`).map((item, index) => parseServiceRecord(item, `${at}.services[${index}]`));
  return { room, services };
}

export function parseRoomRecord(value: unknown, at: string): RoomRecord {
  const raw = object(value, at);
  return {
    id: string(raw.id, `${at}.id`),
    name: string(raw.name, `${at}.name`),
    metadata: object(raw.metadata, `${at}.metadata`) as JsonObject,
    annotations: stringMap(raw.annotations, `${at}.annotations`),
  };
}

export function parseServiceRecord(value: unknown, at: string): ServiceRecord {
  const service = object(value, at);
  string(service.id, `${at}.id`);
  return service as ServiceRecord;
}

export function parseRoute(value: unknown, at: string): RouteRecord {
  const raw = object(value, at);
  const route: RouteRecord = {
    domain: string(raw.domain, `${at}.domain`),
    room_name: string(raw.room_name, `${at}.room_name`),
    port: string(raw.port, `${at}.port`),
    annotations: stringMap(raw.annotations, `${at}.annotations`),
  };
  if (raw.spec !== undefined) route.spec = object(raw.spec, `${at}.spec`) as JsonObject;
  return route;
}

export function parseAccount(value: unknown, at: string): ServiceAccountRecord {
  const raw = object(value, at);
  for (const key of ["id", "key", "name", "email", "description", "created_at", "updated_at"]) string(raw[key], `${at}.${key}`);
  nullableString(raw.display_name, `${at}.display_name`);
  object(raw.metadata, `${at}.metadata`);
  stringMap(raw.annotations, `${at}.annotations`);
  return raw as unknown as ServiceAccountRecord;
}

export function parseAccountSecret(value: unknown, at: string): AccountSecretRecord {
  const raw = object(value, at);
  for (const key of ["id", "service_account_id", "name", "type", "created_at", "updated_at"]) string(raw[key], `${at}.${key}`);
  if (typeof raw.http_only !== "boolean") throw new StateFormatError(`${at}.http_only is not a boolean`);
  object(raw.metadata, `${at}.metadata`);
  object(raw.annotations, `${at}.annotations`);
  nullableString(raw.current_version_id, `${at}.current_version_id`);
  array(raw.versions, `${at}.versions`).forEach((item, index) => {
    const version = object(item, `${at}.versions[${index}]`);
    for (const key of ["id", "value_base64", "value_sha256", "created_at"]) string(version[key], `${at}.versions[${index}].${key}`);
    if (typeof version.version !== "number") throw new StateFormatError(`${at}.versions[${index}].version is not a number`);
  });
  return raw as unknown as AccountSecretRecord;
}

export function parseSecret(value: unknown, at: string): SecretRecord {
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

export function parseImage(value: unknown, at: string): ImageRecord {
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
