// The 0.39 `secrets` room toolkit the 0.39.9 CLI's `meshagent room secret exists|set|list|delete`
// calls (api@c27d496 room_server_client.py `SecretsClient`): exists {secret_id, delegated_to?,
// for_identity?} → {exists}; set_secret (binary arguments: headers {secret_id, type, name,
// delegated_to, for_identity, has_data}, payload = the value) → empty; list_secrets {} →
// {secrets: [{id, type, name, delegated_to}]} (the caller's own); delete_secret {id, delegated_to?}
// → empty. Gone at 0.50.1 (the registry leaves them out). Values are never answered.
import { randomUUID } from "node:crypto";
import type { LocalStore } from "../store.js";
import { emptyContent, jsonContent } from "./content.js";
import { invalidRequest, ToolError } from "./tool-error.js";
import type { UnaryTool } from "./tools.js";

const DEFAULT_TYPE = "application/octet-stream";

export function secretsTools(store: LocalStore): [string, UnaryTool][] {
  return [
    ["secrets.exists", { kind: "unary", run: (input, room) => jsonContent({ exists: secretExists(store, room, input) }) }],
    ["secrets.set_secret", { kind: "unary", binary: true, run: (input, room, data) => setSecret(store, room, input, data) }],
    ["secrets.list_secrets", { kind: "unary", run: (_input, room) => jsonContent({ secrets: store.listSecrets(room, null).map(({ id, type, name, delegated_to }) => ({ id, type, name, delegated_to })) }) }],
    ["secrets.delete_secret", { kind: "unary", run: (input, room) => deleteSecret(store, room, input) }],
  ];
}

/**
 * True when the room has a secret with this id for this identity (null = the caller's own).
 * A `delegated_to` in the question must match too; without one, delegation is not compared.
 */
function secretExists(store: LocalStore, room: string, input: Record<string, unknown>): boolean {
  const id = requiredString(input, "secret_id", "secrets.exists");
  const secret = store.getSecret(room, optionalString(input, "for_identity"), id);
  const delegatedTo = optionalString(input, "delegated_to");
  return secret !== undefined && (delegatedTo === null || secret.delegated_to === delegatedTo);
}

/** Upsert by (room, identity, id); absent name/type keep an existing secret's (a new one: the id, octet-stream). */
async function setSecret(store: LocalStore, room: string, input: Record<string, unknown>, data: Buffer | undefined) {
  if (data === undefined || input["has_data"] !== true) throw invalidRequest("secrets.set_secret needs the secret data as binary content (has_data: true)");
  const identity = optionalString(input, "for_identity");
  const id = optionalString(input, "secret_id") ?? randomUUID();
  const existing = store.getSecret(room, identity, id);
  await store.putSecret({
    room,
    id,
    for_identity: identity,
    delegated_to: optionalString(input, "delegated_to") ?? existing?.delegated_to ?? null,
    name: optionalString(input, "name") ?? existing?.name ?? id,
    type: optionalString(input, "type") ?? existing?.type ?? DEFAULT_TYPE,
    data_base64: data.toString("base64"),
  });
  return emptyContent();
}

/** The caller's own secret (the toolkit's delete has no for_identity). */
async function deleteSecret(store: LocalStore, room: string, input: Record<string, unknown>) {
  const id = requiredString(input, "id", "secrets.delete_secret");
  const secret = store.getSecret(room, null, id);
  const delegatedTo = optionalString(input, "delegated_to");
  if (secret === undefined || (delegatedTo !== null && secret.delegated_to !== delegatedTo)) throw new ToolError("NOT_FOUND", `secret not found: ${id}`);
  await store.deleteSecret(room, null, id);
  return emptyContent();
}

function requiredString(input: Record<string, unknown>, field: string, tool: string): string {
  const value = input[field];
  if (typeof value !== "string" || value === "") throw invalidRequest(`${tool} needs a non-empty string "${field}"`);
  return value;
}

function optionalString(input: Record<string, unknown>, field: string): string | null {
  const value = input[field];
  return typeof value === "string" && value !== "" ? value : null;
}
