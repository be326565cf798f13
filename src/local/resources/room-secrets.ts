// Room secrets in the 0.39 shape (platform-api.md §3.2): POST/GET …/rooms/{room}/secrets and
// GET/PUT/DELETE …/secrets/{id}, each secret belonging to one identity (`for_identity`; absent =
// the caller's own, the local room having a single user). POST and PUT read `for_identity` from the
// body (PUT also from the query), GET/DELETE/list from the query, as api@c27d496 sends them. Values are stored (they are local test
// data) but never listed; only GET of one secret returns `data_base64`.
import { param, type LocalRequest, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, notFound } from "../errors.js";
import type { SecretRecord } from "../state.js";
import { requireRoom } from "./rooms.js";

const BASE = "/accounts/projects/:pid/rooms/:room/secrets";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const DEFAULT_SECRET_TYPE = "application/octet-stream";

export function registerRoomSecrets(router: LocalRouter, context: ResourceContext): void {
  const requireSecret = (request: LocalRequest, bodyIdentity: string | null = null): SecretRecord => {
    const room = requireRoom(context, param(request, "room")).name;
    const id = param(request, "id");
    // api@c27d496 `update_room_secret` sends for_identity in the body only; GET/DELETE in the query.
    const identity = bodyIdentity ?? queryIdentity(request);
    const secret = context.store.getSecret(room, identity, id);
    if (secret === undefined) throw notFound(`secret "${id}" not found in room "${room}"${identity === null ? "" : ` for identity "${identity}"`}`);
    return secret;
  };

  router.add("POST", BASE, async (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    const body = await request.json();
    const id = optionalString(body, "secret_id") ?? context.newId();
    const secret = secretFields(body, room, id, optionalString(body, "for_identity"));
    await context.store.putSecret(secret);
    return { id };
  });

  router.add("GET", BASE, (request) => {
    const room = requireRoom(context, param(request, "room")).name;
    return { secrets: context.store.listSecrets(room, queryIdentity(request)).map(({ id, type, name, delegated_to }) => ({ id, type, name, delegated_to })) };
  });

  router.add("GET", `${BASE}/:id`, (request) => {
    const { id, type, name, delegated_to, data_base64 } = requireSecret(request);
    return { id, type, name, delegated_to, data_base64 };
  });

  router.add("PUT", `${BASE}/:id`, async (request) => {
    const body = await request.json();
    const bodyIdentity = optionalString(body, "for_identity");
    const queried = queryIdentity(request);
    if (bodyIdentity !== null && queried !== null && bodyIdentity !== queried) throw badRequest(`"for_identity" in the body does not match the one in the query`);
    const existing = requireSecret(request, bodyIdentity);
    const identity = existing.for_identity;
    const fields = secretFields(body, existing.room, existing.id, identity);
    // Absent name/type keep what the secret had; a PUT is an update, not a re-creation.
    await context.store.putSecret({ ...fields, name: optionalString(body, "name") ?? existing.name, type: optionalString(body, "type") ?? existing.type });
    return {};
  });

  router.add("DELETE", `${BASE}/:id`, async (request) => {
    const secret = requireSecret(request);
    await context.store.deleteSecret(secret.room, secret.for_identity, secret.id);
    return {};
  });
}

function secretFields(body: Record<string, unknown>, room: string, id: string, forIdentity: string | null): SecretRecord {
  const data = body.data_base64;
  if (typeof data !== "string" || !BASE64.test(data)) throw badRequest(`"data_base64" is required and must be standard base64`);
  return {
    room,
    id,
    for_identity: forIdentity,
    delegated_to: optionalString(body, "delegated_to"),
    name: optionalString(body, "name") ?? id,
    type: optionalString(body, "type") ?? DEFAULT_SECRET_TYPE,
    data_base64: data,
  };
}

/** A string field, or null when absent or null; 400 for any other type. */
function optionalString(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string" || value === "") throw badRequest(`"${field}" must be a non-empty string or null`);
  return value;
}

function queryIdentity(request: LocalRequest): string | null {
  const value = request.query.get("for_identity");
  return value === null || value === "" ? null : value;
}
