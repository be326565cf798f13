// The MeshAgent implementation of the Target seam: the REST paths and bodies of api@0.39.9
// (platform-api.md §3.2), for a real MeshAgent and the embedded local room alike; where a later
// server changed the wire (route bodies, the room token, the build chunk) the cached platform()
// decides, per feature (model/platform.ts). Room names and
// ids go into paths unencoded, as the Python client does (room names are validated first).
// Services (their writes under ambiguous answers) live in services-rest.ts, secrets in secrets-rest.ts.
import { ApiError, MeshdeployError } from "../errors.js";
import { resolveProjectRegistry, type NamingContext } from "../model/image-ref.js";
import { hasFeature, platformOf, type Platform } from "../model/platform.js";
import { buildRouteSpec } from "../model/route-spec.js";
import type { LiveService, Route } from "../model/service-spec.js";
import { HttpClient, type RunDeadline } from "./http-client.js";
import type { DockerSecret } from "./official-client.js";
import { registryCredentials } from "./registry.js";
import type { RoomApi } from "./room-api.js";
import { RoomSession, type RoomSessionOptions } from "./room-session.js";
import { SecretsRest, type SecretInfo, type SecretOwner, type SecretWrite } from "./secrets-rest.js";
import { ServicesRest } from "./services-rest.js";
import { walkPages } from "./pages.js";
import { optionalStringField, parseRouteAnswer, parseRoutes, stringField } from "./payloads.js";
import { defaultRetryPolicy, type RetryPolicy } from "./retry.js";
import type { Created, SpecBody, Target } from "./target.js";

export interface MeshagentTargetOptions {
  apiUrl: string;
  token: string;
  projectId: string;
  /** Shown in output instead of the URL, e.g. "local room". */
  label?: string;
  retry?: RetryPolicy;
  /** Receives every credential the target obtains at run time (registry tokens, room JWTs) for redaction. */
  onSecret?: (secret: string) => void;
  /** A short-lived credential handed to onSecret is no longer in use (a build's registry token). */
  onSecretReleased?: (secret: string) => void;
  room?: RoomSessionOptions;
  /** The HTTP pool's size (default 16): `--concurrency N` requests need N connections. */
  connections?: number;
  /** --platform / `platform:`: the version to speak, instead of the one the server reports. */
  platform?: PlatformOverride;
  /** --timeout: a deadline for the whole run's requests (each request also has its own). */
  deadline?: RunDeadline;
  /** Total deadline of one REST request (default 120 s). */
  requestTimeoutMs?: number;
  /** How long a late-forwarded POST is given to land before a create is re-sent or checked (default 2 s). */
  settleMs?: number;
}

export interface PlatformOverride {
  version: string;
  source: "flag" | "config";
}

/** `version` of a /config answer; null when absent (0.39 servers) or not a string. */
function serverVersion(config: unknown): string | null {
  const version = typeof config === "object" && config !== null ? (config as Record<string, unknown>)["version"] : undefined;
  return typeof version === "string" && version.trim() !== "" ? version.trim() : null;
}

const ROUTE_PAGE = 100;
/** Rooms per page (the platform clamps `limit` to 1000) and the most rooms a plan will look at. */
const ROOM_PAGE = 1000;
const ROOM_LIST_CAP = 100_000;

/** `{"rooms": [{name, …}], "total": N}` → the names. */
function parseRooms(json: unknown, what: string): { names: string[]; total: number } {
  const rooms = (json as { rooms?: unknown } | null)?.rooms;
  if (!Array.isArray(rooms)) throw new MeshdeployError("E_API_PAYLOAD", `${what}: expected {"rooms": [...]}, got ${JSON.stringify(json)?.slice(0, 80)}`);
  const names = rooms.map((r) => (r as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === "string");
  const total = (json as { total?: unknown }).total;
  return { names, total: typeof total === "number" ? total : names.length };
}

export class MeshagentTarget implements Target {
  readonly label: string;
  readonly projectId: string;
  readonly #apiUrl: string;
  readonly #http: HttpClient;
  readonly #retry: RetryPolicy;
  readonly #onSecret: (secret: string) => void;
  readonly #onSecretReleased: (secret: string) => void;
  readonly #roomOptions: RoomSessionOptions;
  readonly #rooms = new Map<string, Promise<RoomSession>>();
  #naming: Promise<NamingContext> | null = null;
  #config: Promise<unknown> | null = null;
  #platform: Promise<Platform> | null = null;
  #accounts: Promise<Map<string, string>> | null = null;
  readonly #platformOverride: PlatformOverride | null;
  readonly #secrets: SecretsRest;
  readonly #services: ServicesRest;

  constructor(options: MeshagentTargetOptions) {
    this.#apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.projectId = options.projectId;
    this.label = `${options.label ?? this.#apiUrl} (project ${options.projectId})`;
    this.#retry = options.retry ?? defaultRetryPolicy;
    this.#http = new HttpClient({
      baseUrl: this.#apiUrl,
      token: options.token,
      retry: this.#retry,
      ...(options.connections === undefined ? {} : { connections: options.connections }),
      ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    });
    this.#onSecret = options.onSecret ?? (() => {});
    this.#onSecretReleased = options.onSecretReleased ?? (() => {});
    this.#roomOptions = { ...(options.room ?? {}), ...(options.deadline === undefined ? {} : { deadline: options.deadline }) };
    this.#platformOverride = options.platform ?? null;
    this.#secrets = new SecretsRest(this.#http, this.#project, (email) => this.#serviceAccountId(email));
    this.#services = new ServicesRest(this.#http, { project: this.#project, projectId: this.projectId, retry: this.#retry, settleMs: options.settleMs ?? 2_000 });
  }

  get #project(): string {
    return `/accounts/projects/${this.projectId}`;
  }

  namingContext(): Promise<NamingContext> {
    this.#naming ??= (async () => {
      const [config, project] = await Promise.all([this.#deploymentConfig(), this.#http.send("GET", this.#project).catch((error: unknown) => this.#projectMissing(error))]);
      // Optional from 0.46.2 (api@ad4d717 ProjectInfo.project_key: str | None); naming says what that means.
      const projectKey = optionalStringField(project.json, "project_key", "GET " + this.#project);
      return { projectRegistry: resolveProjectRegistry(config as Parameters<typeof resolveProjectRegistry>[0], this.#apiUrl), projectKey };
    })();
    return this.#naming;
  }

  /**
   * A 404 for the project itself: say where the id came from and how to check it (the API names no
   * way to list a key's projects, so none is listed). Anything else is rethrown as it is.
   */
  #projectMissing(error: unknown): never {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    throw new MeshdeployError("E_PROJECT_NOT_FOUND", `project "${this.projectId}" not found at ${this.#apiUrl}${error.serverMessage && error.serverMessage !== `project "${this.projectId}" not found` ? `; the server says: ${error.serverMessage}` : ""}`, {
      hint: "the project id comes from `project:` in the config, else MESHAGENT_PROJECT_ID, else the API key (ma-<key>-<project>-<secret>): check it against the project's id in MeshAgent and that the key belongs to that project; `meshdeploy local serve` serves one project, its --project (default `local`)",
      cause: error,
    });
  }

  platform(): Promise<Platform> {
    this.#platform ??= (async () => {
      const override = this.#platformOverride;
      if (override !== null) return platformOf(override.version, override.source);
      return platformOf(serverVersion(await this.#deploymentConfig()), "server");
    })();
    return this.#platform;
  }

  /** GET /config, once: it names the registry and (from 0.41.7) the server's version. */
  #deploymentConfig(): Promise<unknown> {
    this.#config ??= this.#http.send("GET", "/config").then((answer) => answer.json);
    this.#config.catch(() => (this.#config = null));
    return this.#config;
  }

  async listServices(room: string): Promise<LiveService[]> {
    try {
      return await this.#services.list(room);
    } catch (error) {
      // The local room answers every path of an unknown project with 404 `project "x" not found`.
      const cause = error instanceof MeshdeployError ? error.cause : undefined;
      if (cause instanceof ApiError && /\bproject\b.*\bnot found\b/.test(cause.serverMessage ?? "")) this.#projectMissing(cause);
      throw error;
    }
  }

  createService(room: string, body: SpecBody): Promise<Created> {
    return this.#services.create(room, body);
  }

  updateService(room: string, id: string, body: SpecBody): Promise<void> {
    return this.#services.update(room, id, body);
  }

  deleteService(room: string, id: string): Promise<void> {
    return this.#services.delete(room, id);
  }

  async listRooms(): Promise<string[] | null> {
    const names: string[] = [];
    for (let offset = 0; offset < ROOM_LIST_CAP; offset += ROOM_PAGE) {
      const path = `${this.#project}/rooms?limit=${ROOM_PAGE}&offset=${offset}`;
      let json: unknown;
      try {
        json = (await this.#http.send("GET", path)).json;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 405 || error.status === 403)) return null;
        throw error;
      }
      const page = parseRooms(json, `GET ${path}`);
      names.push(...page.names);
      if (page.names.length < ROOM_PAGE || names.length >= page.total) return names;
    }
    throw new MeshdeployError("E_API_PAYLOAD", `GET ${this.#project}/rooms: more than ${ROOM_LIST_CAP} rooms`);
  }

  async ensureRoom(room: string): Promise<void> {
    // The exact payload of api@0.39.9 `create_room(name, if_not_exists=True)`.
    // if_not_exists makes this POST safe to repeat.
    await this.#http.send("POST", `${this.#project}/rooms`, { name: room, if_not_exists: true, metadata: null, annotations: null, permissions: null }, { idempotent: true });
  }

  async listRoomRoutes(room: string): Promise<Route[]> {
    const routes: Route[] = [];
    for (let offset = 0; ; offset += ROUTE_PAGE) {
      const path = `${this.#project}/rooms/${room}/routes?count=${ROUTE_PAGE}&offset=${offset}`;
      const page = parseRoutes((await this.#http.send("GET", path)).json, `GET ${path}`);
      routes.push(...page.routes);
      if (page.routes.length < ROUTE_PAGE || routes.length >= page.total) return routes;
    }
  }

  async getRoute(domain: string): Promise<Route | null> {
    try {
      const path = `${this.#project}/routes/${domain}`;
      return parseRouteAnswer((await this.#http.send("GET", path)).json, `GET ${path}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  async createRoute(route: Route): Promise<"created" | "conflict"> {
    try {
      await this.#http.send("POST", `${this.#project}/routes`, await this.#routeBody(route, "create"));
      return "created";
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return "conflict";
      throw error;
    }
  }

  async updateRoute(route: Route): Promise<void> {
    await this.#http.send("PUT", `${this.#project}/routes/${route.domain}`, await this.#routeBody(route, "update"));
  }

  /**
   * From 0.40.3 `{spec: RouteSpec}` for create and update alike (a flat update body fails the
   * 0.50.1 `_UpdateRouteRequest`: it has no `domain`); before, the exact 0.39.9 flat bodies. The
   * platform is read inside (cached), so the Target interface stays as it is.
   */
  async #routeBody(route: Route, kind: "create" | "update"): Promise<SpecBody> {
    if (hasFeature(await this.platform(), "routeSpec")) return { spec: buildRouteSpec(route.domain, route.room_name, route.port, route.annotations) };
    const flat = { room_name: route.room_name, port: route.port, annotations: route.annotations };
    return kind === "create" ? { domain: route.domain, ...flat } : flat;
  }

  async deleteRoute(domain: string): Promise<void> {
    try {
      await this.#http.send("DELETE", `${this.#project}/routes/${domain}`);
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
    }
  }

  /** One websocket per room per run: `POST …/rooms/{room}/connect`, then the official RoomClient. */
  room(room: string): Promise<RoomApi> {
    return this.#session(room);
  }

  #session(room: string): Promise<RoomSession> {
    let session = this.#rooms.get(room);
    if (session === undefined) {
      session = (async () => {
        const path = `${this.#project}/rooms/${room}/connect`;
        // Safe to repeat: connect only mints a room token (nothing is created), so a lost answer
        // is retried like a GET instead of failing the whole run.
        const [answer, platform] = await Promise.all([this.#http.send("POST", path, {}, { idempotent: true }), this.platform()]);
        const jwt = stringField(answer.json, "jwt", `POST ${path}`);
        this.#onSecret(jwt);
        // The platform decides the token transport (wsAuthHeader) and the build start chunk (buildTags).
        return RoomSession.open(room, { roomUrl: stringField(answer.json, "room_url", `POST ${path}`), jwt, platform }, this.#roomOptions);
      })();
      this.#rooms.set(room, session);
      session.catch(() => this.#rooms.delete(room));
    }
    return session;
  }

  async serviceAccountSecret(email: string, secretId: string): Promise<"present" | "missing" | "no-account" | "forbidden"> {
    const refused = (error: unknown, status: number): boolean => error instanceof ApiError && error.status === status;
    let accountId: string | null;
    try {
      accountId = await this.#serviceAccountId(email);
    } catch (error) {
      if (refused(error, 403)) return "forbidden";
      throw error;
    }
    if (accountId === null) return "no-account";
    try {
      await this.#http.send("GET", `${this.#project}/service-accounts/${encodeURIComponent(accountId)}/secrets/${encodeURIComponent(secretId)}`);
      return "present";
    } catch (error) {
      if (refused(error, 404)) return "missing";
      if (refused(error, 403)) return "forbidden";
      throw error;
    }
  }

  /** The id of the service account with `email` (case-insensitive, as ServiceRunAs lower-cases), reading every page once per run. */
  #serviceAccountId(email: string): Promise<string | null> {
    this.#accounts ??= (async () => {
      const byEmail = new Map<string, string>();
      await walkPages(this.#http, `${this.#project}/service-accounts`, (json) => {
        for (const account of (json as { service_accounts?: { id?: unknown; email?: unknown }[] } | null)?.service_accounts ?? []) {
          if (typeof account.id === "string" && typeof account.email === "string") byEmail.set(account.email.toLowerCase(), account.id);
        }
        return undefined;
      });
      return byEmail;
    })();
    this.#accounts.catch(() => (this.#accounts = null));
    return this.#accounts.then((accounts) => accounts.get(email.trim().toLowerCase()) ?? null);
  }

  listSecrets(owner: SecretOwner): Promise<SecretInfo[] | null> {
    return this.#secrets.list(owner);
  }

  setSecret(owner: SecretOwner, key: string, value: Uint8Array): Promise<SecretWrite> {
    return this.#secrets.set(owner, key, value);
  }

  deleteSecret(owner: SecretOwner, key: string): Promise<"deleted" | "missing"> {
    return this.#secrets.delete(owner, key);
  }

  async registryCredentials(repositoryName: string, registry: string): Promise<DockerSecret> {
    const byName = hasFeature(await this.platform(), "repositoriesByName");
    return registryCredentials(this.#http, this.#project, repositoryName, registry, this.#onSecret, { byName });
  }

  releaseCredentials(credentials: DockerSecret): void {
    this.#onSecretReleased(credentials.password);
  }

  requestCount(): number {
    return this.#http.requestCount;
  }

  async close(): Promise<void> {
    const sessions = [...this.#rooms.values()];
    this.#rooms.clear();
    await Promise.all(sessions.map((s) => s.then((session) => session.close(), () => {})));
    await this.#http.close();
  }
}
