// RoomApi over one websocket connection to one room through the official RoomClient, for the
// room RPCs meshdeploy needs: containers.build / get_build_logs / logs, services.list / restart, secrets.exists.
// Every call has a deadline (the client has none), errors carry the room and the call, and
// close() waits one macrotask first (pitfall C5: a stream's close chunk still being written).
import { MeshdeployError } from "../errors.js";
import { hasFeature, type Platform } from "../model/platform.js";
import type { RoomClientType } from "./official-client.js";
import type { RunDeadline } from "./http-client.js";
import type { BuildJob, BuildRequest, ContainerLogsOptions, RoomApi, ServiceState } from "./room-api.js";
import { parseBuildJobs, parseServiceStates } from "./room-payloads.js";

/** The official client module, loaded on the first session (it costs ~0.2 s of start-up). */
type Official = typeof import("./official-client.js");

export interface RoomSessionOptions {
  /** Deadline for unary calls and for start(). Default 60 s. */
  callTimeoutMs?: number;
  /** How long the client may try to reconnect after a drop (pitfall C3). Default 10 s. */
  reconnectTimeoutMs?: number;
  /** The run's deadline (--timeout): no call waits past it. */
  deadline?: RunDeadline;
}

/** The room build defaults of `meshagent deploy PATH` (cli@0.39.9 image.py `_run_image_build_stage`). */
export const BUILD_MOUNT_PATH = "/context";
const BUILDER_NAME = "builder";

export interface RoomConnection {
  roomUrl: string;
  jwt: string;
  /** Which MeshAgent the room belongs to (decides the token transport and the build chunk); default 0.39.9. */
  platform?: Pick<Platform, "version">;
}

export class RoomSession implements RoomApi {
  readonly room: string;
  readonly #client: RoomClientType;
  readonly #timeoutMs: number;
  readonly #buildTags: boolean;
  readonly #deadline: RunDeadline | null;
  readonly #official: Official;

  private constructor(room: string, client: RoomClientType, timeoutMs: number, platform: Pick<Platform, "version">, deadline: RunDeadline | null, official: Official) {
    this.room = room;
    this.#official = official;
    this.#client = client;
    this.#timeoutMs = timeoutMs;
    this.#deadline = deadline;
    this.#buildTags = hasFeature(platform, "buildTags");
  }

  static async open(room: string, connection: RoomConnection, options: RoomSessionOptions = {}): Promise<RoomSession> {
    const timeoutMs = options.callTimeoutMs ?? 60_000;
    const platform = connection.platform ?? { version: "0.39.9" };
    const official = await import("./official-client.js");
    const client = new official.RoomClient({
      protocolFactory: official.guardedProtocolFactory(connection.roomUrl, connection.jwt, { authHeader: hasFeature(platform, "wsAuthHeader") }),
      reconnectTimeout: options.reconnectTimeoutMs ?? 10_000,
    });
    client.ready.catch(() => {}); // pitfall C2: observed below through start()
    const session = new RoomSession(room, client, timeoutMs, platform, options.deadline ?? null, official);
    try {
      await session.#call("connect", client.start());
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  async build(request: BuildRequest): Promise<string> {
    // Uploading a large context takes longer than a unary call.
    const timeoutMs = Math.max(this.#timeoutMs, 600_000);
    if (this.#buildTags) return this.#call("containers.build", this.#buildWithTags(request), timeoutMs);
    return this.#call(
      "containers.build",
      this.#client.containers.build({
        tag: request.tag,
        mountPath: BUILD_MOUNT_PATH,
        contextPath: BUILD_MOUNT_PATH,
        dockerfilePath: request.dockerfilePath,
        chunks: request.chunks,
        size: request.size,
        credentials: request.credentials,
        builderName: BUILDER_NAME,
        optimizeImage: true,
        private: false,
      }),
      timeoutMs,
    );
  }

  /**
   * containers.build for servers from 0.40.1, which read `tags: [..]` in the start chunk (W4;
   * the 0.50.1 SDK and CLI send only `tags`); npm 0.39.9's containers.build can only send `tag`.
   * So the same call goes through the client's public invokeWithStreamInput with the start chunk
   * of containers-client.js `buildInputStream`, field for field, `tag` replaced by `tags`.
   */
  async #buildWithTags(request: BuildRequest): Promise<string> {
    const { BinaryContent, JsonContent } = this.#official;
    async function* input(): AsyncGenerator<InstanceType<typeof BinaryContent>> {
      yield new BinaryContent({
        data: new Uint8Array(0),
        headers: {
          kind: "start",
          tags: [request.tag],
          mount_path: BUILD_MOUNT_PATH,
          context_path: BUILD_MOUNT_PATH,
          dockerfile_path: request.dockerfilePath,
          optimize_image: true,
          private: false,
          credentials: request.credentials.map((c) => ({ registry: c.registry ?? null, username: c.username, password: c.password })),
          builder_name: BUILDER_NAME,
          size: request.size,
        },
      });
      for await (const chunk of request.chunks) yield new BinaryContent({ data: new Uint8Array(chunk), headers: { kind: "data" } });
    }
    const output = await this.#client.invokeWithStreamInput({ toolkit: "containers", tool: "build", input: input() });
    const buildId = output instanceof JsonContent ? output.json["build_id"] : undefined;
    if (typeof buildId !== "string") throw new Error("unexpected return type from containers.build");
    return buildId;
  }

  /** Streams build log lines to `onLine` as they arrive; resolves with the exit status (null: none sent). */
  async followBuildLogs(buildId: string, onLine: (line: string) => void, timeoutMs = 600_000): Promise<number | null> {
    const session = this.#client.containers.getBuildLogs({ buildId, follow: true });
    // Pitfall C4: iterate at once, or early lines are lost.
    const drain = (async () => {
      for await (const text of session.stream) for (const line of text.split(/\r?\n/)) if (line !== "") onLine(line);
    })();
    try {
      const status = await this.#call("containers.get_build_logs", session.result, timeoutMs);
      await drain.catch(() => {});
      return status;
    } catch (error) {
      await session.cancel().catch(() => {});
      throw error;
    }
  }

  /**
   * The last `maxLines` log lines of a container (containers.logs, follow:false), for diagnostics:
   * never throws. Any failure (unknown container, no answer before `timeoutMs`, a closed room)
   * gives [], and the caller says the logs were unavailable.
   */
  async containerLogs(containerId: string, options: ContainerLogsOptions = {}): Promise<string[]> {
    const maxLines = options.maxLines ?? 10;
    const lines: string[] = [];
    let session: ReturnType<RoomClientType["containers"]["logs"]>;
    try {
      session = this.#client.containers.logs({ containerId, follow: false });
    } catch {
      return [];
    }
    // Pitfall C4: iterate at once, or early lines are lost.
    const drain = (async () => {
      for await (const text of session.stream) {
        for (const line of text.split(/\r?\n/)) {
          if (line === "") continue;
          lines.push(line);
          if (lines.length > maxLines) lines.shift();
        }
      }
    })();
    try {
      await this.#call("containers.logs", session.result, options.timeoutMs ?? 5_000);
      await drain;
      return lines;
    } catch {
      // Not awaited: cancel() waits for the stream's end, which a room that stopped answering never sends.
      session.cancel().catch(() => {});
      return [];
    }
  }

  /**
   * services.list through the raw invoke: the npm 0.39.9 client's listWithState drops what 0.45+
   * adds (`status.ports`, `last_start_error`, `events`), which readiness and health need.
   */
  async serviceStates(): Promise<Map<string, ServiceState>> {
    const output = await this.#call("services.list", this.#client.invoke({ toolkit: "services", tool: "list", input: {} }));
    if (!(output instanceof this.#official.JsonContent)) throw new MeshdeployError("E_ROOM", `room ${this.room}: services.list answered something other than JSON`);
    return parseServiceStates(output.json);
  }

  async listBuilds(): Promise<BuildJob[]> {
    const output = await this.#call("containers.list_builds", this.#client.invoke({ toolkit: "containers", tool: "list_builds", input: {} }));
    if (!(output instanceof this.#official.JsonContent)) throw new MeshdeployError("E_ROOM", `room ${this.room}: containers.list_builds answered something other than JSON`);
    return parseBuildJobs(output.json);
  }

  /** NOT_FOUND (1003) and CONTAINER_NOT_FOUND (6001) are "not-found", as the CLI ignores them (platform-0.50.md E2). */
  async deleteImage(image: string, timeoutMs = 30_000): Promise<"deleted" | "not-found"> {
    try {
      await this.#call("containers.delete_image", this.#client.invoke({ toolkit: "containers", tool: "delete_image", input: { image } }), timeoutMs);
      return "deleted";
    } catch (error) {
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      if (code === 1003 || code === 6001) return "not-found";
      throw error;
    }
  }

  async streamContainerLogs(containerId: string, onLine: (line: string) => void, options: { follow: boolean; signal?: AbortSignal; tail?: number }): Promise<void> {
    const session = this.#client.containers.logs({ containerId, follow: options.follow });
    const tail = options.tail;
    // Without follow the lines are kept to print the newest `tail`; with follow the backlog is
    // trimmed the same way until the first quiet moment, then every line goes straight out. A guess
    // by necessity: the start chunk takes only container_id and follow (no tail), and the answer is
    // channel-1 text then `control close` with no end-of-backlog marker (meshagent-ts
    // containers-client.ts `logs`, meshagent-api room_server_client.py `_ContainerLogInputStream`).
    const backlog: string[] = [];
    let live = tail === undefined;
    const flush = (): void => {
      live = true;
      for (const line of backlog.splice(0)) onLine(line);
    };
    const drain = (async () => {
      for await (const text of session.stream) {
        for (const line of text.split(/\r?\n/)) {
          if (line === "") continue;
          if (live) onLine(line);
          else {
            backlog.push(line);
            if (backlog.length > tail!) backlog.shift();
          }
        }
        if (options.follow && !live) setTimeout(() => live || flush(), 200);
      }
    })();
    const stop = (): void => void session.cancel().catch(() => {});
    options.signal?.addEventListener("abort", stop, { once: true });
    try {
      if (options.signal?.aborted) stop();
      await this.#call("containers.logs", session.result, options.follow ? 2 ** 31 - 1 : 30_000);
      await drain.catch(() => {});
      flush();
    } catch (error) {
      if (options.signal?.aborted) return flush();
      throw error;
    } finally {
      options.signal?.removeEventListener("abort", stop);
    }
  }

  async restart(serviceId: string): Promise<void> {
    await this.#call("services.restart", this.#client.services.restart({ serviceId }));
  }

  async secretExists(secretId: string, forIdentity: string): Promise<boolean> {
    return this.#call("secrets.exists", this.#client.secrets.exists({ secretId, forIdentity }));
  }

  async close(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 50));
    try {
      this.#client.dispose();
    } catch {
      // already closed
    }
  }

  async #call<T>(what: string, promise: Promise<T>, timeoutMs = this.#timeoutMs): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    // The run's deadline (--timeout) when it is nearer than the call's own.
    const left = this.#deadline === null ? Infinity : this.#deadline.at - Date.now();
    const run = left < timeoutMs;
    const waitMs = Math.max(0, run ? left : timeoutMs);
    const message = run
      ? `room ${this.room}: ${what} got no answer within the run's deadline (--timeout ${this.#deadline!.seconds})`
      : `room ${this.room}: ${what} got no answer within ${Math.round(timeoutMs / 1000)} s`;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MeshdeployError("E_ROOM", message, run ? { hint: "the room is slow or unreachable; raise --timeout" } : {})), waitMs);
    });
    try {
      return await Promise.race([promise, deadline]);
    } catch (error) {
      if (error instanceof MeshdeployError) throw error;
      const code = (error as { code?: unknown }).code;
      const text = error instanceof Error ? error.message : String(error);
      throw new MeshdeployError("E_ROOM", `room ${this.room}: ${what} failed: ${text}${typeof code === "number" ? ` (code ${code})` : ""}`, {
        hint: what === "connect" ? "check that the room exists and the token may join it" : undefined,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      promise.catch(() => {});
    }
  }
}
