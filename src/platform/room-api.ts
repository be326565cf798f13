// The room half of the platform seam: the room RPCs meshdeploy needs, as data in and out.
// RoomSession (the official websocket client) implements it; the apply and read phases see only
// this interface, so a test can stand in a room without a websocket.
import type { DockerSecret } from "./official-client.js";

export interface ServiceState {
  serviceId: string;
  state: string;
  containerId: string | null;
  restartCount: number;
  lastExitCode: number | null;
  /** 0.45.9+ `status.ports[]`; [] from older servers. */
  ports: PortState[];
  /** 0.45+ `last_start_error`; null when none (or an older server). */
  lastStartError: string | null;
  /** 0.45+ `events`, oldest first; [] from older servers. */
  events: ServiceEvent[];
}

export interface PortState {
  num: number | "*";
  liveness: string | null;
  /** "not_configured" | "not_ready" | "ready" (0.45.9 `liveness_status`). */
  livenessStatus: string;
  lastError: string | null;
}

export interface ServiceEvent {
  type: string;
  reason: string;
  message: string;
  count: number;
}

/** One `published_images` entry of a build (0.42.2+). */
export interface PublishedImage {
  tag: string | null;
  /** `sha256:…`, or null when the server had none. */
  digest: string | null;
}

export interface BuildJob {
  id: string;
  tag: string | null;
  status: string;
  publishedImages: PublishedImage[];
}

export interface BuildRequest {
  tag: string;
  dockerfilePath: string;
  size: number;
  chunks: AsyncIterable<Uint8Array>;
  credentials: DockerSecret[];
}

export interface ContainerLogsOptions {
  /** How many of the newest lines to keep. Default 10. */
  maxLines?: number;
  /** Deadline for the whole read. Default 5 s. */
  timeoutMs?: number;
}

export interface RoomApi {
  readonly room: string;
  /** containers.build: uploads the context; resolves with the build id. */
  build(request: BuildRequest): Promise<string>;
  /** Streams build log lines to `onLine`; resolves with the exit status (null: none sent). */
  followBuildLogs(buildId: string, onLine: (line: string) => void, timeoutMs?: number): Promise<number | null>;
  /** The last lines of a container's log, for diagnostics; never throws ([] when unavailable). */
  containerLogs(containerId: string, options?: ContainerLogsOptions): Promise<string[]>;
  /** services.list with state, by service id. */
  serviceStates(): Promise<Map<string, ServiceState>>;
  restart(serviceId: string): Promise<void>;
  /** containers.list_builds: this room's builds (with `published_images` from 0.42.2). */
  listBuilds(): Promise<BuildJob[]>;
  /** containers.delete_image (0.41.1+); "not-found" when the room had no such image. */
  deleteImage(image: string, timeoutMs?: number): Promise<"deleted" | "not-found">;
  /**
   * containers.logs with follow: each line to `onLine` until the container stops, the room closes
   * or `signal` aborts. `tail` keeps only the newest lines of what exists before following.
   */
  streamContainerLogs(containerId: string, onLine: (line: string) => void, options: { follow: boolean; signal?: AbortSignal; tail?: number }): Promise<void>;
  /** secrets.exists (0.39 room secrets) for `forIdentity`. */
  secretExists(secretId: string, forIdentity: string): Promise<boolean>;
}
