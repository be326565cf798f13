// Service accounts (platform 0.50.1 only; shapes restated from meshagent-api@6d950a5 client.py
// `ServiceAccount`, `ServiceAccountsPage`, list/create/get/get_by_name/delete_service_account):
//   GET  /accounts/projects/{pid}/service-accounts?page_size=&continuation_token=&filter=
//   POST /accounts/projects/{pid}/service-accounts {name, key?, display_name?, description?, metadata?, annotations?}
//   GET  …/service-accounts/{id}, GET …/service-accounts/by-name/{name}, DELETE …/service-accounts/{id}
// Their secrets are in account-secrets.ts. The email and the key derived from the name are ours
// [INFERRED]: the platform's rules are not in any client.
import { param, type LocalRequest, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import type { ServiceAccountRecord } from "../state.js";
import { pageByToken } from "./continuation.js";
import { DEFAULT_PAGE_SIZE, optionalObject, optionalStringMap } from "./fields.js";

export const ACCOUNTS_BASE = "/accounts/projects/:pid/service-accounts";
const KEY_PATTERN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$/;

/** The account named by `:said`, or 404. */
export function requireAccount(context: ResourceContext, request: LocalRequest): ServiceAccountRecord {
  const id = param(request, "said");
  const account = context.store.getAccount(id);
  if (account === undefined) throw notFound(`service account "${id}" not found in project "${context.project.id}"`);
  return account;
}

/** A service account as the API answers it. */
export function accountBody(context: ResourceContext, account: ServiceAccountRecord): Record<string, unknown> {
  const { id, key, name, email, display_name, description, metadata, annotations, created_at, updated_at } = account;
  return { id, project_id: context.project.id, key, name, email, display_name, description, metadata, annotations, created_at, updated_at };
}

export function registerServiceAccounts(router: LocalRouter, context: ResourceContext): void {
  router.add("GET", ACCOUNTS_BASE, (request) => {
    const filter = (request.query.get("filter") ?? "").trim().toLowerCase();
    const accounts = context.store.listAccounts().filter((account) => filter === "" || accountMatches(account, filter));
    const page = pageByToken(accounts, request.query, DEFAULT_PAGE_SIZE);
    return { service_accounts: page.items.map((account) => accountBody(context, account)), continuation_token: page.continuation_token };
  });

  router.add("POST", ACCOUNTS_BASE, async (request) => {
    const body = await request.json();
    const account = newAccount(context, body);
    const clash = context.store.listAccounts().find((other) => other.name === account.name || other.key === account.key);
    if (clash !== undefined) {
      const what = clash.name === account.name ? `name "${account.name}"` : `key "${account.key}"`;
      throw conflict(`a service account with ${what} already exists in project "${context.project.id}" (id ${clash.id})`);
    }
    await context.store.putAccount(account);
    return accountBody(context, account);
  });

  router.add("GET", `${ACCOUNTS_BASE}/by-name/:name`, (request) => {
    const name = param(request, "name");
    const account = context.store.listAccounts().find((candidate) => candidate.name === name);
    if (account === undefined) throw notFound(`service account named "${name}" not found in project "${context.project.id}"`);
    return accountBody(context, account);
  });

  router.add("GET", `${ACCOUNTS_BASE}/:said`, (request) => accountBody(context, requireAccount(context, request)));

  router.add("DELETE", `${ACCOUNTS_BASE}/:said`, async (request) => {
    await context.store.deleteAccount(requireAccount(context, request).id);
    return {};
  });
}

function newAccount(context: ResourceContext, body: Record<string, unknown>): ServiceAccountRecord {
  const name = body.name;
  if (typeof name !== "string" || name.trim() === "") throw badRequest(`"name" is required and must be a non-empty string`);
  const key = body.key === undefined || body.key === null ? keyFromName(name) : body.key;
  if (typeof key !== "string" || !KEY_PATTERN.test(key)) {
    throw badRequest(`"key" must be lower-case letters, digits and "-" (starting and ending with a letter or digit), got ${JSON.stringify(key)}`);
  }
  const now = new Date().toISOString();
  return {
    id: context.newId(),
    key,
    name,
    email: `${key}@service.${context.project.key}.local`,
    display_name: optionalText(body, "display_name"),
    description: optionalText(body, "description") ?? "",
    metadata: optionalObject(body.metadata, "metadata"),
    annotations: optionalStringMap(body.annotations, "annotations"),
    created_at: now,
    updated_at: now,
  };
}

/** "My Bot_1" → "my-bot-1" [INFERRED]. */
function keyFromName(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}

function accountMatches(account: ServiceAccountRecord, filter: string): boolean {
  return [account.id, account.key, account.name, account.display_name, account.email].some((value) => value?.toLowerCase().includes(filter) === true);
}

function optionalText(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw badRequest(`"${field}" must be a string or null`);
  return value;
}
