// startLocalRoom: the embedded MeshAgent-compatible local room (behaviour in ./SPEC.md). Wires the
// store, the REST resource modules and the dispatcher, and the room websocket (`/rooms/{room}`,
// upgraded on the same server) with its tools, local builds and emulated service containers,
// onto one Node HTTP server bound to loopback. Holds DIR/lock while it runs (dir-lock.ts), and
// injects faults into REST and room RPCs when asked to (faults/, SPEC.md "Fault injection").
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { MeshdeployError } from "../errors.js";
import { BuildJobs, type BuildRecord } from "./builds/build-jobs.js";
import type { LocalRouter, ResourceContext } from "./context.js";
import { ensureDataDir } from "./data-dir.js";
import { acquireDirLock, type DirLockOptions } from "./dir-lock.js";
import type { SeededFaultSpec } from "./faults/fault-spec.js";
import { FaultInjector, type FaultStats } from "./faults/injector.js";
import { withRpcFaults } from "./faults/rpc-faults.js";
import { bearerCheck } from "./http/auth.js";
import { createDispatcher, type RequestLogEntry } from "./http/dispatch.js";
import { Router } from "./http/router.js";
import { registerConfig } from "./resources/config.js";
import { registerDomainRoutes } from "./resources/domain-routes.js";
import { registerRepositories } from "./resources/repositories.js";
import { projectGuard, registerProjects } from "./resources/projects.js";
import { registerRoomConnect, roomSocketUrl } from "./resources/room-connect.js";
import { registerRoomSecrets } from "./resources/room-secrets.js";
import { registerRoomServices } from "./resources/room-services.js";
import { registerAccountSecrets } from "./resources/account-secrets.js";
import { registerServiceAccounts } from "./resources/service-accounts.js";
import { ensureRoom, registerRooms, roomNameProblem } from "./resources/rooms.js";
import { DEFAULT_STRICTNESS, isPlatformVersion, localPlatform, type PlatformVersion, type Strictness } from "./platform.js";
import { createRoomTools } from "./room/room-tools.js";
import { RoomSocketServer } from "./room/socket-server.js";
import { RoomTokens } from "./room/tokens.js";
import { ServiceLifecycle } from "./runtime/service-lifecycle.js";
import type { ImageRecord, ServiceRecord } from "./state.js";
import type { StorageIo } from "./journal.js";
import { LocalStore } from "./store.js";

export type { BuildRecord, BuildStatus } from "./builds/build-jobs.js";
export type { RequestLogEntry } from "./http/dispatch.js";
export type { FaultStats } from "./faults/injector.js";
export type { ImageRecord } from "./state.js";
export type { LocalPlatform, PlatformVersion, Strictness } from "./platform.js";
export { DEFAULT_PLATFORM, DEFAULT_STRICTNESS, PLATFORM_VERSIONS } from "./platform.js";

export interface LocalRoomOptions {
  dataDir: string;
  token: string;
  /** Default "local". */
  projectId?: string;
  /** Default "local". */
  projectKey?: string;
  /** Default "registry.meshagent.com". */
  registry?: string;
  /** Default "127.0.0.1". */
  host?: string;
  /** Default 0: a random free port. */
  port?: number;
  /** Rooms created at start when missing. */
  rooms?: string[];
  /** How long an emulated service container stays `starting` (and the crash-loop period). Default 150 ms. */
  startDelayMs?: number;
  /** Interval of websocket pings; a socket that misses one is dropped. Default 30 s. */
  pingIntervalMs?: number;
  /** Faults to inject into REST requests and room RPCs (default none). */
  faults?: SeededFaultSpec | null;
  /** Waiting for DIR/lock when another live process holds it. Default: refuse at once. */
  lock?: Omit<DirLockOptions, "pollMs">;
  /**
   * The MeshAgent platform generation spoken (SPEC.md "Platform generations"). Persisted in the
   * data directory. Unset: a new data directory speaks DEFAULT_PLATFORM ("0.50.1"), an existing one
   * the generation it was written for. Set: 0.39.9 data opened as 0.50.1 is upgraded; 0.50.1 data
   * opened as 0.39.9 is refused.
   */
  platform?: PlatformVersion;
  /** Where the real 0.50.1 server's leniency is unknown: accept the old forms ("lenient", default) or not ("strict"). No effect at 0.39.9. */
  strictness?: Strictness;
  /** 0.50.1: how long a port with a liveness path reports `not_ready` after its container runs. Default 150 ms. */
  livenessDelayMs?: number;
  /** 0.50.1: the repository listing's page size when the client sends no `page_size`. Default 2. */
  repositoryPageSize?: number;
  /**
   * How many `requestLog` entries are kept (the newest; past it the oldest half is dropped).
   * Default REQUEST_LOG_LIMIT; 0 keeps none. The CLI's rooms keep CLI_REQUEST_LOG_LIMIT: nothing
   * there reads the log, and a long `watch --local` (six requests per cycle) must not grow it.
   */
  requestLogLimit?: number;
  /** The state's file operations (journal.ts); tests inject write failures such as ENOSPC. */
  storageIo?: StorageIo;
}

export interface LocalRoom {
  /** http://HOST:PORT, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Method, path (no query string) and status of each request answered, oldest first. */
  readonly requestLog: readonly RequestLogEntry[];
  /** The platform generation this room speaks. */
  readonly platform: PlatformVersion;
  readonly strictness: Strictness;
  /** Copies of the build records (all rooms, submission order, with their logs). */
  builds(): BuildRecord[];
  /** The images recorded by successful builds (persisted), one per tag. */
  images(): ImageRecord[];
  /** Copies of a room's stored services in creation order ([] for an unknown room). Never faulted. */
  services(room: string): ServiceRecord[];
  /** Replaces the fault spec (a fresh PRNG from its seed); null stops injecting. */
  setFaults(spec: SeededFaultSpec | null): void;
  /** What the current injector has injected so far (null: no faults). */
  faultStats(): FaultStats | null;
  /**
   * Closes room websockets with code 1000, cancels unfinished builds, stops accepting requests,
   * waits for pending writes and flushes the state.
   */
  close(): Promise<void>;
}

/** The log keeps the newest entries only, so a long-running `local serve` does not grow forever. */
export const REQUEST_LOG_LIMIT = 100_000;
/** What the CLI's rooms (`--local`, `local serve`) keep: nothing in the CLI reads the log. */
export const CLI_REQUEST_LOG_LIMIT = 1_000;

export async function startLocalRoom(options: LocalRoomOptions): Promise<LocalRoom> {
  if (options.token === "") throw new MeshdeployError("E_LOCAL_ROOM", "the local room needs a non-empty bearer token");
  for (const room of options.rooms ?? []) {
    const problem = roomNameProblem(room);
    if (problem !== null) throw new MeshdeployError("E_LOCAL_ROOM", `cannot create local room: ${problem}`);
  }
  if (options.platform !== undefined && !isPlatformVersion(options.platform)) {
    throw new MeshdeployError("E_LOCAL_ROOM", `the local room speaks MeshAgent 0.39.9 or 0.50.1, got platform ${JSON.stringify(options.platform)}`);
  }
  const strictness = options.strictness ?? DEFAULT_STRICTNESS;
  if (strictness !== "lenient" && strictness !== "strict") {
    throw new MeshdeployError("E_LOCAL_ROOM", `the local room's strictness is "lenient" or "strict", got ${JSON.stringify(strictness)}`);
  }
  for (const [name, value, min] of [["repositoryPageSize", options.repositoryPageSize, 1], ["livenessDelayMs", options.livenessDelayMs, 0], ["requestLogLimit", options.requestLogLimit, 0]] as const) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= min)) {
      throw new MeshdeployError("E_LOCAL_ROOM", `the local room's ${name} must be an integer of at least ${min}, got ${String(value)}`);
    }
  }
  ensureDataDir(options.dataDir);
  const lock = await acquireDirLock(options.dataDir, options.lock ?? { waitMs: 0 });
  let store: LocalStore;
  try {
    store = await LocalStore.open(options.dataDir, { ...(options.platform === undefined ? {} : { platform: options.platform }), ...(options.storageIo ? { io: options.storageIo } : {}) });
  } catch (error) {
    lock.release();
    throw error;
  }
  const platform = localPlatform(store.platform, strictness);
  const host = options.host ?? "127.0.0.1";
  const server = createServer({ keepAliveTimeout: 5_000 });
  let port: number;
  try {
    port = await listen(server, host, options.port ?? 0);
  } catch (error) {
    await store.close();
    lock.release();
    throw error;
  }
  let injector = options.faults ? new FaultInjector(options.faults) : null;
  const faults = (): FaultInjector | null => injector;
  const hostInUrl = host.includes(":") ? `[${host}]` : host;
  const lifecycle = new ServiceLifecycle({ startDelayMs: options.startDelayMs ?? 150 });
  const context: ResourceContext = {
    store,
    platform,
    project: { id: options.projectId ?? "local", key: options.projectKey ?? "local", name: "local" },
    registry: options.registry ?? "registry.meshagent.com",
    apiHost: `${hostInUrl}:${port}`,
    newId: randomUUID,
    lifecycle,
    tokens: new RoomTokens(),
    repositoryPageSize: options.repositoryPageSize ?? 2,
  };
  // Services found in the state file get a fresh container, as after a restart of the platform.
  for (const room of store.listRooms()) for (const service of store.listServices(room.name) ?? []) lifecycle.start(room.name, service);
  const builds = new BuildJobs({ newId: randomUUID, recordImage: (image) => store.putImage(image) });
  const requestLog: RequestLogEntry[] = [];
  const logLimit = options.requestLogLimit ?? REQUEST_LOG_LIMIT;
  const onLog = (entry: RequestLogEntry): void => {
    if (logLimit === 0) return;
    requestLog.push(entry);
    if (requestLog.length > logLimit) requestLog.splice(0, requestLog.length - Math.floor(logLimit / 2));
  };
  const sockets = new RoomSocketServer({
    tokens: context.tokens,
    roomExists: (room) => store.getRoom(room) !== undefined,
    roomUrl: (room) => roomSocketUrl(context, room),
    tools: withRpcFaults(createRoomTools({ store, builds, lifecycle, platform, livenessDelayMs: options.livenessDelayMs ?? 150 }), faults),
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    onLog,
    queryToken: platform.queryToken,
    boundHost: host,
  });
  let closing: Promise<void> | null = null;
  server.on(
    "request",
    createDispatcher({
      checkBearer: bearerCheck(options.token),
      router: buildRouter(context),
      guard: projectGuard(context),
      onLog,
      isClosing: () => closing !== null,
      faults,
      boundHost: host,
    }),
  );
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => sockets.handleUpgrade(request, socket, head));
  const shutDown = async (): Promise<void> => {
    builds.close();
    lifecycle.close();
    await sockets.close();
    await closeServer(server);
  };
  try {
    for (const room of options.rooms ?? []) await ensureRoom(context, room);
  } catch (error) {
    await shutDown();
    // The write that failed is the error worth reporting; a second failure while closing is not.
    await store.close().catch(() => undefined);
    lock.release();
    throw error;
  }
  return {
    url: `http://${hostInUrl}:${port}`,
    port,
    platform: platform.version,
    strictness,
    requestLog,
    builds: () => builds.list(),
    images: () => store.listImages().map((image) => ({ ...image })),
    services: (room) => (store.listServices(room) ?? []).map((service) => structuredClone(service)),
    setFaults: (spec) => {
      injector = spec ? new FaultInjector(spec) : null;
    },
    faultStats: () => injector?.stats() ?? null,
    close: () => (closing ??= shutDown().then(() => store.close()).finally(() => lock.release())),
  };
}

function buildRouter(context: ResourceContext): LocalRouter {
  const router: LocalRouter = new Router();
  registerConfig(router, context);
  registerProjects(router, context);
  registerRooms(router, context);
  registerRoomServices(router, context);
  registerRoomConnect(router, context);
  // 0.39 room secrets are gone at 0.50.1 (removed in 0.45): their paths answer 404 like any unknown path.
  if (context.platform.roomSecrets) registerRoomSecrets(router, context);
  registerDomainRoutes(router, context);
  registerRepositories(router, context);
  if (context.platform.serviceAccounts) {
    registerServiceAccounts(router, context);
    registerAccountSecrets(router, context);
  }
  return router;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      const why = error.code === "EADDRINUSE" ? `port ${port} on ${host} is already in use` : error.message;
      reject(new MeshdeployError("E_LOCAL_ROOM", `the local room cannot listen on ${host}:${port}: ${why}`, {
        hint: "choose another port with --port (0 picks a free one)",
        cause: error,
      }));
    };
    server.once("error", onError);
    server.listen(port, host, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections; in-flight requests finish (their writes complete), idle ones close. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
