// The platform seam. The engine talks to MeshAgent only through this interface; the same
// implementation (platform/meshagent-target.ts) serves a real MeshAgent and the embedded local room.
import type { NamingContext } from "../model/image-ref.js";
import type { Platform } from "../model/platform.js";
import type { LiveService, Route } from "../model/service-spec.js";
import type { DockerSecret } from "./official-client.js";
import type { RoomApi } from "./room-api.js";
import type { SecretInfo, SecretOwner, SecretWrite } from "./secrets-rest.js";

/** A request body exactly as it goes on the wire (the planner serialises specs). */
export type SpecBody = Record<string, unknown>;

export interface Created {
  id: string;
  byAnother: boolean;
}

export interface Target {
  /** Human label for output, e.g. "http://127.0.0.1:8787 (project local)". Never holds a credential. */
  readonly label: string;
  readonly projectId: string;
  /** Resolves the project registry and key; cached for the life of the target. */
  namingContext(): Promise<NamingContext>;
  /**
   * Which MeshAgent this is: the override given at construction (--platform / platform:), else
   * `version` of GET /config (absent: a 0.39 server). Cached; shares the /config read with naming.
   */
  platform(): Promise<Platform>;
  /** Throws MeshdeployError E_ROOM_NOT_FOUND when the room does not exist. */
  listServices(room: string): Promise<LiveService[]>;
  /**
   * POST; returns the server-assigned id. Never blindly retried: after an ambiguous failure the
   * room is re-listed by name first, and a service found there counts only if it carries the
   * same spec-hash (our own POST landed); anything else is an error that a re-run resolves.
   * `byAnother`: the server refused our POST (409) and the service there, with our spec-hash, was
   * created by another writer with the same config (a concurrent run): not ours to report as created.
   */
  createService(room: string, body: SpecBody): Promise<Created>;
  updateService(room: string, id: string, body: SpecBody): Promise<void>;
  deleteService(room: string, id: string): Promise<void>;
  /**
   * Every room of the project (GET …/rooms, paged); null when the server does not offer the listing
   * (404, 405 or 403: prune then sees only the rooms the config names, and the plan says so).
   */
  listRooms(): Promise<string[] | null>;
  /** Creates the room when missing (used by --local only; the real CLI never creates rooms on deploy). */
  ensureRoom(room: string): Promise<void>;
  /** Routes in either answer shape, normalised to the flat Route (a RouteSpec answer keeps `shape`). */
  listRoomRoutes(room: string): Promise<Route[]>;
  getRoute(domain: string): Promise<Route | null>;
  /** Writes the generation's body: flat before 0.40.3, `{spec: RouteSpec}` from it (create and update). */
  createRoute(route: Route): Promise<"created" | "conflict">;
  updateRoute(route: Route): Promise<void>;
  deleteRoute(domain: string): Promise<void>;
  /** The room's RPCs (one websocket session per room, opened on first use, closed by close()). */
  room(room: string): Promise<RoomApi>;
  /**
   * 0.45+: whether service account `email` holds secret `secretId` ("no-account": no account has
   * that email; "forbidden": the API refused the look-up).
   */
  serviceAccountSecret(email: string, secretId: string): Promise<"present" | "missing" | "no-account" | "forbidden">;
  /** The owner's secrets, never values (null: a 0.45+ owner's service account does not exist). */
  listSecrets(owner: SecretOwner): Promise<SecretInfo[] | null>;
  /** Creates or replaces a secret's value (secrets-rest.ts); the value is never returned or logged. */
  setSecret(owner: SecretOwner, key: string, value: Uint8Array): Promise<SecretWrite>;
  deleteSecret(owner: SecretOwner, key: string): Promise<"deleted" | "missing">;
  /** Push credentials for `repositoryName` in the project registry (creates the repository if missing). */
  registryCredentials(repositoryName: string, registry: string): Promise<DockerSecret>;
  /** The build that used these credentials is over: the redactor may forget the password. */
  releaseCredentials(credentials: DockerSecret): void;
  /** HTTP requests sent so far (for output and benchmarks). */
  requestCount(): number;
  close(): Promise<void>;
}
