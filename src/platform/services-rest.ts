// Room services over REST (api@0.39.9 `…/rooms/{room}/services`), with the writes made safe under
// ambiguous answers: a POST or PUT whose answer was lost (a timeout, a retryable status, a 2xx that
// could not be read) may have landed, so the room is looked at — by name and spec-hash — before a
// write is sent again or reported failed, and extra copies of our own create are removed. A delete
// of a service that is already gone succeeds. Part of MeshagentTarget (meshagent-target.ts).
import { ApiError, MeshdeployError } from "../errors.js";
import { SPEC_HASH } from "../model/annotations.js";
import type { LiveService } from "../model/service-spec.js";
import type { HttpClient } from "./http-client.js";
import { parseServices, stringField } from "./payloads.js";
import { isRetryableStatus, retryDelay, type RetryPolicy } from "./retry.js";
import type { Created, SpecBody } from "./target.js";

/** A 2xx whose body could not be read (a cut answer, a proxy's page): the write may well have landed (audit L4). */
function landedUnread(error: ApiError): boolean {
  return error.code === "E_API_PAYLOAD" && error.status !== null && error.status >= 200 && error.status < 300;
}

export interface ServicesRestOptions {
  /** `/accounts/projects/{pid}`. */
  project: string;
  projectId: string;
  retry: RetryPolicy;
  /** How long a late-forwarded POST is given to land before a create is re-sent or checked. */
  settleMs: number;
}

export class ServicesRest {
  readonly #http: HttpClient;
  readonly #project: string;
  readonly #projectId: string;
  readonly #retry: RetryPolicy;
  readonly #settleMs: number;

  constructor(http: HttpClient, options: ServicesRestOptions) {
    this.#http = http;
    this.#project = options.project;
    this.#projectId = options.projectId;
    this.#retry = options.retry;
    this.#settleMs = options.settleMs;
  }

  async list(room: string): Promise<LiveService[]> {
    const path = `${this.#project}/rooms/${room}/services`;
    try {
      return parseServices((await this.#http.send("GET", path)).json, `GET ${path}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new MeshdeployError("E_ROOM_NOT_FOUND", `room ${room} does not exist in project ${this.#projectId}`, {
          hint: `create it first (meshagent rooms create --name ${room}); against \`meshdeploy local serve\`, start it with \`--room ${room}\` (or use --local, which creates rooms as needed)`,
          cause: error,
        });
      }
      throw error;
    }
  }

  async create(room: string, body: SpecBody): Promise<Created> {
    const path = `${this.#project}/rooms/${room}/services`;
    const name = (body["metadata"] as { name: string }).name;
    const hash = (body["metadata"] as { annotations?: Record<string, string> }).annotations?.[SPEC_HASH];
    const ours = (s: LiveService): boolean => s.metadata.name === name && hash !== undefined && s.metadata.annotations?.[SPEC_HASH] === hash;
    for (let attempt = 1; ; attempt++) {
      let created: Created;
      try {
        created = { id: stringField((await this.#http.send("POST", path, body)).json, "id", `POST ${path}`), byAnother: false };
      } catch (error) {
        const ambiguous = error instanceof ApiError && (error.status === null || isRetryableStatus(error.status) || error.status === 409 || landedUnread(error));
        if (!ambiguous) throw error;
        // The POST may have landed: look before trying again — at once, and again after a pause,
        // since a gateway may forward a POST it already answered 504 to some time later (audit L13).
        const found = await this.#findCreated(room, name, hash, error);
        // A 409 is the server's word that our POST created nothing: an identical service is another writer's.
        if (found !== null) return { id: found.id, byAnother: error.status === 409 };
        if (attempt >= this.#retry.attempts || error.status === 409) throw error;
        await this.#retry.sleep(Math.max(retryDelay(attempt, error.retryAfter, this.#retry), this.#settleMs));
        const late = await this.#findCreated(room, name, hash, error);
        if (late !== null) return { id: late.id, byAnother: false };
        continue;
      }
      // A POST sent again after an ambiguous one: the first may still land later. Do not rely on the
      // server refusing a second service of one name: look once more, and remove our own extra copies
      // (same name, same spec-hash, not the one we report).
      if (attempt > 1) await this.#removeLateCopies(room, created.id, ours);
      return created;
    }
  }

  /** The service our POST made, if it is there; E_CONFLICT when another service has the name. */
  async #findCreated(room: string, name: string, hash: string | undefined, cause: unknown): Promise<LiveService | null> {
    const found = (await this.list(room)).find((s) => s.metadata.name === name);
    if (found === undefined) return null;
    if (hash !== undefined && found.metadata.annotations?.[SPEC_HASH] === hash) return found;
    throw new MeshdeployError("E_CONFLICT", `service ${name} appeared in room ${room} while meshdeploy was creating it (another writer?)`, {
      hint: "re-run plan/apply: it will reconcile the service that is there now",
      cause,
    });
  }

  async #removeLateCopies(room: string, keep: string, ours: (s: LiveService) => boolean): Promise<void> {
    await this.#retry.sleep(this.#settleMs);
    const copies = (await this.list(room).catch((): LiveService[] => [])).filter((s) => ours(s) && s.id !== keep);
    for (const copy of copies) await this.delete(room, copy.id).catch(() => undefined);
  }

  async update(room: string, id: string, body: SpecBody): Promise<void> {
    try {
      await this.#http.send("PUT", `${this.#project}/rooms/${room}/services/${id}`, body);
    } catch (error) {
      // The PUT is retried as idempotent; when the last answer was lost too, it may still have
      // landed. Reporting a landed write as failed would skip its restart, and the next plan
      // (spec equal) would never restart it: look for our spec-hash first.
      const ambiguous = error instanceof ApiError && (error.status === null || isRetryableStatus(error.status) || landedUnread(error));
      const hash = (body["metadata"] as { annotations?: Record<string, string> }).annotations?.[SPEC_HASH];
      if (!ambiguous || hash === undefined) throw error;
      const found = (await this.list(room).catch(() => [])).find((s) => s.id === id);
      if (found?.metadata.annotations?.[SPEC_HASH] !== hash) throw error;
    }
  }

  async delete(room: string, id: string): Promise<void> {
    try {
      await this.#http.send("DELETE", `${this.#project}/rooms/${room}/services/${id}`);
    } catch (error) {
      // Already gone (a retried DELETE, or someone else) is what we wanted.
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }
}
