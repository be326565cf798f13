// Service-account secrets (platform 0.50.1 only), the endpoints meshagent-api@6d950a5 client.py
// `*_service_account_secret*` and the 0.50.1 CLI (`meshagent secret …`, cli@f5163bc secrets.py) use:
//   GET    …/service-accounts/{said}/secrets?page_size=&continuation_token=&filter=  → {secrets, continuation_token}
//   POST   …/service-accounts/{said}/secrets {name, type?, http_only?, metadata?, annotations?} → Secret
//   POST   …/service-accounts/{said}/secrets:search {page_size?, continuation_token?, filter?, name?, type?, http_only?} → {secrets, continuation_token}
//   GET    …/secrets/{sid}[?include_value=true] → Secret (with `value_base64` only when asked)
//   PATCH  …/secrets/{sid} {name?, type?, http_only?, metadata?, annotations?} → Secret
//   DELETE …/secrets/{sid} → {}
//   GET    …/secrets/{sid}/versions → {versions}
//   POST   …/secrets/{sid}/versions {value_base64, set_current = true} → SecretVersion
//   GET    …/secrets/{sid}/versions/{vid}:access → {secret_id, version_id, value_base64}
//   DELETE …/secrets/{sid}/versions/{vid} → {}
// A secret is created without a value (as the 0.50.1 client does it); its value is the current
// version's. Values are stored in state.json like 0.39 room secrets (local test data) and answered
// only by `include_value=true` and `:access`, never listed or logged.
import { createHash } from "node:crypto";
import { param, type LocalRequest, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import type { AccountSecretRecord, SecretVersionRecord, ServiceAccountRecord } from "../state.js";
import { pageByBody, pageByToken } from "./continuation.js";
import { DEFAULT_PAGE_SIZE, optionalObject } from "./fields.js";
import { ACCOUNTS_BASE, requireAccount } from "./service-accounts.js";

const SECRETS = `${ACCOUNTS_BASE}/:said/secrets`;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
export const DEFAULT_ACCOUNT_SECRET_TYPE = "opaque";

export function registerAccountSecrets(router: LocalRouter, context: ResourceContext): void {
  const requireSecret = (request: LocalRequest): { account: ServiceAccountRecord; secret: AccountSecretRecord } => {
    const account = requireAccount(context, request);
    const id = param(request, "sid");
    const secret = context.store.getAccountSecret(account.id, id);
    if (secret === undefined) throw notFound(`secret "${id}" not found for service account "${account.id}"`);
    return { account, secret };
  };
  const answer = (secret: AccountSecretRecord, includeValue = false): Record<string, unknown> => secretBody(context, secret, includeValue);

  router.add("GET", SECRETS, (request) => {
    const account = requireAccount(context, request);
    const filter = (request.query.get("filter") ?? "").trim().toLowerCase();
    const secrets = context.store.listAccountSecrets(account.id).filter((secret) => filter === "" || secret.name.toLowerCase().includes(filter));
    const page = pageByToken(secrets, request.query, DEFAULT_PAGE_SIZE);
    return { secrets: page.items.map((secret) => answer(secret)), continuation_token: page.continuation_token };
  });

  router.add("POST", SECRETS, async (request) => {
    const account = requireAccount(context, request);
    const body = await request.json();
    const name = body.name;
    if (typeof name !== "string" || name.trim() === "") throw badRequest(`"name" is required and must be a non-empty string`);
    assertNameFree(context, account, name, null);
    const now = new Date().toISOString();
    const secret: AccountSecretRecord = {
      id: context.newId(),
      service_account_id: account.id,
      name,
      type: optionalText(body, "type") ?? DEFAULT_ACCOUNT_SECRET_TYPE,
      http_only: optionalBool(body, "http_only") ?? false,
      metadata: optionalObject(body.metadata, "metadata"),
      annotations: optionalObject(body.annotations, "annotations"),
      current_version_id: null,
      versions: [],
      created_at: now,
      updated_at: now,
    };
    await context.store.putAccountSecret(secret);
    return answer(secret);
  });

  router.add("POST", `${ACCOUNTS_BASE}/:said/secrets:search`, async (request) => {
    const account = requireAccount(context, request);
    const body = await request.json();
    const filter = (optionalText(body, "filter") ?? "").trim().toLowerCase();
    const name = optionalText(body, "name");
    const type = optionalText(body, "type");
    const httpOnly = optionalBool(body, "http_only");
    const found = context.store.listAccountSecrets(account.id).filter(
      (secret) =>
        (filter === "" || secret.name.toLowerCase().includes(filter)) &&
        (name === null || secret.name === name) &&
        (type === null || secret.type === type) &&
        (httpOnly === null || secret.http_only === httpOnly),
    );
    const page = pageByBody(found, body, DEFAULT_PAGE_SIZE);
    return { secrets: page.items.map((secret) => answer(secret)), continuation_token: page.continuation_token };
  });

  router.add("GET", `${SECRETS}/:sid`, (request) => answer(requireSecret(request).secret, request.query.get("include_value") === "true"));

  router.add("PATCH", `${SECRETS}/:sid`, async (request) => {
    const { account, secret } = requireSecret(request);
    const body = await request.json();
    const name = optionalText(body, "name");
    if (name !== null) {
      if (name.trim() === "") throw badRequest(`"name" must be a non-empty string`);
      assertNameFree(context, account, name, secret.id);
    }
    const updated: AccountSecretRecord = {
      ...secret,
      name: name ?? secret.name,
      type: optionalText(body, "type") ?? secret.type,
      http_only: optionalBool(body, "http_only") ?? secret.http_only,
      metadata: body.metadata === undefined || body.metadata === null ? secret.metadata : optionalObject(body.metadata, "metadata"),
      annotations: body.annotations === undefined || body.annotations === null ? secret.annotations : optionalObject(body.annotations, "annotations"),
      updated_at: new Date().toISOString(),
    };
    await context.store.putAccountSecret(updated);
    return answer(updated);
  });

  router.add("DELETE", `${SECRETS}/:sid`, async (request) => {
    const { account, secret } = requireSecret(request);
    await context.store.deleteAccountSecret(account.id, secret.id);
    return {};
  });

  router.add("GET", `${SECRETS}/:sid/versions`, (request) => {
    const { secret } = requireSecret(request);
    return { versions: secret.versions.map((version) => versionBody(secret, version)) };
  });

  router.add("POST", `${SECRETS}/:sid/versions`, async (request) => {
    const { secret } = requireSecret(request);
    const body = await request.json();
    const value = body.value_base64;
    if (typeof value !== "string" || !BASE64.test(value)) throw badRequest(`"value_base64" is required and must be standard base64`);
    const setCurrent = optionalBool(body, "set_current") ?? true;
    const now = new Date().toISOString();
    const version: SecretVersionRecord = {
      id: context.newId(),
      version: Math.max(0, ...secret.versions.map((existing) => existing.version)) + 1,
      value_base64: value,
      value_sha256: createHash("sha256").update(Buffer.from(value, "base64")).digest("hex"),
      created_at: now,
    };
    const updated: AccountSecretRecord = {
      ...secret,
      versions: [...secret.versions, version],
      current_version_id: setCurrent ? version.id : secret.current_version_id,
      updated_at: now,
    };
    await context.store.putAccountSecret(updated);
    return versionBody(updated, version);
  });

  // `{vid}:access` is one path segment, as the client sends it.
  router.add("GET", `${SECRETS}/:sid/versions/:vid`, (request) => {
    const raw = param(request, "vid");
    if (!raw.endsWith(":access")) throw notFound(`no such endpoint: GET …/versions/${raw} (read a version's value with …/versions/{id}:access)`);
    const { secret } = requireSecret(request);
    const version = requireVersion(secret, raw.slice(0, -":access".length));
    return { secret_id: secret.id, version_id: version.id, value_base64: version.value_base64 };
  });

  router.add("DELETE", `${SECRETS}/:sid/versions/:vid`, async (request) => {
    const { secret } = requireSecret(request);
    const version = requireVersion(secret, param(request, "vid"));
    await context.store.putAccountSecret({
      ...secret,
      versions: secret.versions.filter((existing) => existing.id !== version.id),
      // [INFERRED] deleting the current version leaves the secret without a value.
      current_version_id: secret.current_version_id === version.id ? null : secret.current_version_id,
      updated_at: new Date().toISOString(),
    });
    return {};
  });
}

/** `Secret`; `value_base64` (the current version's, null without one) only when `includeValue`. */
function secretBody(context: ResourceContext, secret: AccountSecretRecord, includeValue: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: secret.id,
    project_id: context.project.id,
    owner_user_id: null,
    owner_service_account_id: secret.service_account_id,
    created_by_user_id: null,
    created_by_service_account_id: null,
    type: secret.type,
    name: secret.name,
    http_only: secret.http_only,
    metadata: secret.metadata,
    annotations: secret.annotations,
    current_version_id: secret.current_version_id,
    created_at: secret.created_at,
    updated_at: secret.updated_at,
  };
  if (includeValue) body.value_base64 = secret.versions.find((version) => version.id === secret.current_version_id)?.value_base64 ?? null;
  return body;
}

/** `SecretVersion`: never the value. */
function versionBody(secret: AccountSecretRecord, version: SecretVersionRecord): Record<string, unknown> {
  return {
    id: version.id,
    secret_id: secret.id,
    version: version.version,
    value_sha256: version.value_sha256,
    created_by_user_id: null,
    created_by_service_account_id: null,
    created_at: version.created_at,
  };
}

function requireVersion(secret: AccountSecretRecord, id: string): SecretVersionRecord {
  const version = secret.versions.find((candidate) => candidate.id === id);
  if (version === undefined) throw notFound(`version "${id}" not found for secret "${secret.id}"`);
  return version;
}

/** [INFERRED] secret names are unique per service account (409). */
function assertNameFree(context: ResourceContext, account: ServiceAccountRecord, name: string, self: string | null): void {
  const other = context.store.listAccountSecrets(account.id).find((secret) => secret.name === name && secret.id !== self);
  if (other !== undefined) throw conflict(`service account "${account.id}" already has a secret named "${name}" (id ${other.id})`);
}

function optionalText(body: Record<string, unknown>, field: string): string | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw badRequest(`"${field}" must be a string or null`);
  return value;
}

function optionalBool(body: Record<string, unknown>, field: string): boolean | null {
  const value = body[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "boolean") throw badRequest(`"${field}" must be a boolean or null`);
  return value;
}
