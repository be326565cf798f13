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
  /** secrets.exists (0.39 room secrets) for `forIdentity`. */
  secretExists(secretId: string, forIdentity: string): Promise<boolean>;
}
