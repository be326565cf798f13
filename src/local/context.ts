// What every resource module receives: the store, the emulated project's identity, and the
// request as the router hands it over. Resource handlers return the 200 JSON body or throw
// RequestError; they never touch the Node response.
import type { HttpMethod, Router } from "./http/router.js";
import type { LocalPlatform } from "./platform.js";
import type { RoomTokens } from "./room/tokens.js";
import type { ServiceLifecycle } from "./runtime/service-lifecycle.js";
import type { LocalStore } from "./store.js";

export interface ProjectIdentity {
  id: string;
  key: string;
  /** Project display name (MeshAgent `ProjectInfo.name`). */
  name: string;
}

export interface ResourceContext {
  store: LocalStore;
  /** The platform generation spoken (validation, endpoints and wire shapes that differ between them). */
  platform: LocalPlatform;
  project: ProjectIdentity;
  /** Image registry host reported by GET /config. */
  registry: string;
  /** `host:port` of this server, reported as `domains.api` by GET /config. */
  apiHost: string;
  /** Id generator for rooms and services (UUID v4 unless a test injects another). */
  newId: () => string;
  /** Emulated containers of the room services (new container on create, update and restart). */
  lifecycle: ServiceLifecycle;
  /** Room tokens issued by `connect` and checked at the websocket upgrade. */
  tokens: RoomTokens;
  /** 0.50.1: the repository listing's page size when the client sends no `page_size`. */
  repositoryPageSize: number;
}

export interface LocalRequest {
  method: HttpMethod;
  /** Decoded path parameters named by the route pattern. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Reads and parses the body, which must be a JSON object (400/413 otherwise). */
  json(): Promise<Record<string, unknown>>;
}

export type Handler = (request: LocalRequest) => unknown;

export type LocalRouter = Router<Handler>;

/** A path parameter the pattern guarantees; throws if a handler is wired to the wrong pattern. */
export function param(request: LocalRequest, name: string): string {
  const value = request.params[name];
  if (value === undefined) throw new Error(`route pattern has no :${name} parameter`);
  return value;
}
