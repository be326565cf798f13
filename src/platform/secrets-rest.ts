// Secrets over REST, per generation. 0.39: room secrets of one identity (api@c27d496 client.py
// `create_room_secret` / `update_room_secret` (for_identity in the body) / `list_room_secrets` /
// `delete_room_secret` (for_identity in the query)). 0.45+: service-account secrets (api@6d950a5
// `list_service_account_secrets`, `create_service_account_secret` + `create_service_account_secret_version`,
// `delete_service_account_secret`), a secret being created without a value and given one as its
// first version, as `meshagent secret create --value` does (cli@f5163bc secrets.py). Values go only
// into request bodies; nothing here returns or logs one.
import { ApiError, MeshdeployError } from "../errors.js";
import type { HttpClient } from "./http-client.js";
import { walkPages } from "./pages.js";

/** Whose secret: a room identity (0.39) or a service account by email (0.45+). */
export type SecretOwner = { kind: "identity"; room: string; identity: string } | { kind: "account"; email: string };

export interface SecretInfo {
  id: string;
  name: string;
  type: string;
}

export interface SecretWrite {
  /** The id to reference under `secrets:` (0.45+: the server assigns it on create). */
  id: string;
  created: boolean;
}

const is404 = (error: unknown): boolean => error instanceof ApiError && error.status === 404;

export class SecretsRest {
  readonly #http: HttpClient;
  readonly #project: string;
  readonly #accountId: (email: string) => Promise<string | null>;

  constructor(http: HttpClient, project: string, accountId: (email: string) => Promise<string | null>) {
    this.#http = http;
    this.#project = project;
    this.#accountId = accountId;
  }

  #roomBase(room: string): string {
    return `${this.#project}/rooms/${room}/secrets`;
  }

  #accountBase(accountId: string): string {
    return `${this.#project}/service-accounts/${encodeURIComponent(accountId)}/secrets`;
  }

  /** null when the service account does not exist. */
  async #account(email: string): Promise<string | null> {
    return this.#accountId(email);
  }

  /** The owner's secrets (never values); null when a 0.45+ owner's service account does not exist. */
  async list(owner: SecretOwner): Promise<SecretInfo[] | null> {
    if (owner.kind === "identity") {
      const answer = await this.#http.send("GET", `${this.#roomBase(owner.room)}?for_identity=${encodeURIComponent(owner.identity)}`);
      return infos((answer.json as { secrets?: unknown } | null)?.secrets);
    }
    const accountId = await this.#account(owner.email);
    if (accountId === null) return null;
    const found: SecretInfo[] = [];
    await walkPages(this.#http, this.#accountBase(accountId), (json) => {
      found.push(...infos((json as { secrets?: unknown } | null)?.secrets));
      return undefined;
    });
    return found;
  }

  /**
   * Creates or replaces the value. 0.39: PUT the id, POST it on a 404. 0.45+: `key` names an
   * existing secret by id or name, else a new secret named `key` is created; the value becomes its
   * current version. Throws E_SECRETS when a 0.45+ owner's service account does not exist.
   */
  async set(owner: SecretOwner, key: string, value: Uint8Array): Promise<SecretWrite> {
    const encoded = Buffer.from(value).toString("base64");
    if (owner.kind === "identity") {
      try {
        await this.#http.send("PUT", `${this.#roomBase(owner.room)}/${encodeURIComponent(key)}`, { data_base64: encoded, for_identity: owner.identity });
        return { id: key, created: false };
      } catch (error) {
        if (!is404(error)) throw error;
      }
      await this.#http.send("POST", this.#roomBase(owner.room), { data_base64: encoded, secret_id: key, for_identity: owner.identity });
      return { id: key, created: true };
    }
    const accountId = await this.#requireAccount(owner.email);
    const secrets = (await this.list(owner)) ?? [];
    const existing = secrets.find((secret) => secret.id === key) ?? secrets.find((secret) => secret.name === key);
    let id = existing?.id;
    if (id === undefined) {
      const created = await this.#http.send("POST", this.#accountBase(accountId), { name: key, type: "opaque" });
      id = infos([created.json])[0]?.id;
      if (id === undefined) throw new ApiError("E_API_PAYLOAD", { method: "POST", path: this.#accountBase(accountId), status: 200, serverMessage: null, message: `POST ${this.#accountBase(accountId)}: the answer has no secret id` });
    }
    await this.#http.send("POST", `${this.#accountBase(accountId)}/${encodeURIComponent(id)}/versions`, { value_base64: encoded, set_current: true });
    return { id, created: existing === undefined };
  }

  /** "missing" when there was nothing to delete (0.45+: `key` is an id or a name). */
  async delete(owner: SecretOwner, key: string): Promise<"deleted" | "missing"> {
    try {
      if (owner.kind === "identity") {
        await this.#http.send("DELETE", `${this.#roomBase(owner.room)}/${encodeURIComponent(key)}?for_identity=${encodeURIComponent(owner.identity)}`);
        return "deleted";
      }
      const accountId = await this.#requireAccount(owner.email);
      const secrets = (await this.list(owner)) ?? [];
      const found = secrets.find((secret) => secret.id === key) ?? secrets.find((secret) => secret.name === key);
      if (found === undefined) return "missing";
      await this.#http.send("DELETE", `${this.#accountBase(accountId)}/${encodeURIComponent(found.id)}`);
      return "deleted";
    } catch (error) {
      if (is404(error)) return "missing";
      throw error;
    }
  }

  async #requireAccount(email: string): Promise<string> {
    const id = await this.#account(email);
    if (id === null) {
      throw new MeshdeployError("E_SECRETS", `no service account in project has the email ${email}`, { hint: "create it first (meshagent service-account create …), or fix --run-as" });
    }
    return id;
  }
}

function infos(raw: unknown): SecretInfo[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    if (typeof item !== "object" || item === null) return [];
    const { id, name, type } = item as Record<string, unknown>;
    return typeof id === "string" ? [{ id, name: typeof name === "string" ? name : id, type: typeof type === "string" ? type : "" }] : [];
  });
}
