// The room websocket endpoint `/rooms/{room}` on the local room's HTTP server (room-protocol.md
// §2, §10): checks the path and the token (`?token=` or `Authorization: Bearer`; only the header in a
// strict 0.50.1 room) on `upgrade`, answers a refusal with a plain HTTP
// status (421 a Host that is not a loopback name, 403 a foreign Origin or a bad or missing token,
// 404 unknown room, 503 while closing), hands accepted sockets
// to RoomConnection, pings them, and closes them with code 1000 (final: clients do not reconnect).
import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { RequestLogEntry } from "../http/dispatch.js";
import { checkLoopbackRequest } from "../http/loopback-names.js";
import { errorBody } from "../http/reply.js";
import type { RequestError } from "../errors.js";
import { decodePath } from "../http/router.js";
import { RoomConnection } from "./connection.js";
import type { RoomTokens } from "./tokens.js";
import type { ToolRegistry } from "./tools.js";

/** A data frame is 12 bytes plus a 1024-byte piece; leave room for clients that cut bigger pieces. */
const MAX_FRAME_BYTES = 1024 * 1024;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** How long close() waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1_000;

export interface RoomSocketServerOptions {
  tokens: RoomTokens;
  roomExists: (room: string) => boolean;
  /** The ws:// URL of a room, as `connect` reports it. */
  roomUrl: (room: string) => string;
  tools: ToolRegistry;
  pingIntervalMs: number;
  onLog: (entry: RequestLogEntry) => void;
  /**
   * Whether the token may come from the `token` query parameter (npm 0.39.9 puts it there). Clients
   * from 0.43 send `Authorization: Bearer`, which is always accepted; a strict 0.50.1 room takes only that.
   */
  queryToken?: boolean;
  /** The address the server is bound to: also accepted as a Host (http/loopback-names.ts). */
  boundHost: string;
}

export class RoomSocketServer {
  readonly #options: RoomSocketServerOptions;
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
  readonly #connections = new Set<RoomConnection>();
  readonly #pinger: NodeJS.Timeout;
  #closing = false;

  constructor(options: RoomSocketServerOptions) {
    this.#options = options;
    this.#pinger = setInterval(() => {
      for (const connection of this.#connections) connection.heartbeat();
    }, options.pingIntervalMs);
    this.#pinger.unref();
  }

  /** The HTTP server's `upgrade` listener. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on("error", () => undefined); // a reset while we answer must not crash the server
    const url = request.url ?? "/";
    const queryStart = url.indexOf("?");
    const path = queryStart === -1 ? url : url.slice(0, queryStart);
    const refuse = (status: number, message: string): void => {
      this.#options.onLog({ method: request.method ?? "GET", path, status });
      refuseUpgrade(socket, status, message);
    };
    if (this.#closing) return refuse(503, "the local room is shutting down");
    try {
      checkLoopbackRequest(request.headers, this.#options.boundHost);
    } catch (error) {
      return refuse((error as RequestError).status, (error as RequestError).message);
    }
    const segments = decodePath(path);
    const room = segments.length === 2 && segments[0] === "rooms" ? segments[1] ?? "" : "";
    if (room === "") return refuse(404, `no websocket endpoint at ${path}: use /rooms/<room>`);
    if (!this.#options.roomExists(room)) return refuse(404, `room "${room}" not found`);
    const queryToken = new URLSearchParams(queryStart === -1 ? "" : url.slice(queryStart + 1)).get("token");
    const headerToken = bearer(request.headers.authorization);
    if (this.#options.queryToken === false && headerToken === null && queryToken !== null) {
      return refuse(403, `send the room token as an Authorization: Bearer header: this local room (MeshAgent 0.50.1, strict) does not read ?token=`);
    }
    const token = this.#options.queryToken === false ? headerToken : (queryToken ?? headerToken);
    if (token === null || token === "") return refuse(403, `a room token is required: get one from POST …/rooms/${room}/connect`);
    if (this.#options.tokens.roomOf(token) !== room) return refuse(403, `the token is not valid for room "${room}"`);
    this.#wss.handleUpgrade(request, socket, head, (websocket) => {
      this.#options.onLog({ method: request.method ?? "GET", path, status: 101 });
      if (this.#closing) {
        websocket.close(1000, "the local room is shutting down");
        return;
      }
      const connection = new RoomConnection(websocket, {
        room,
        roomUrl: this.#options.roomUrl(room),
        tools: this.#options.tools,
        sessionId: `session-${randomUUID()}`,
        participantId: randomUUID(),
        maxMessageBytes: MAX_MESSAGE_BYTES,
      });
      this.#connections.add(connection);
      void connection.closed.then(() => this.#connections.delete(connection));
    });
  }

  /** Refuses new sockets and closes the open ones with code 1000; resolves when they are gone. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#pinger);
    const open = [...this.#connections];
    for (const connection of open) connection.close(1000, "the local room was closed");
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    const allClosed = Promise.all(open.map((connection) => connection.closed)).then(() => undefined);
    await Promise.race([allClosed, grace]);
    for (const connection of this.#connections) connection.terminate();
    await allClosed;
  }
}

function bearer(authorization: string | undefined): string | null {
  const match = /^Bearer[ \t]+(.+)$/i.exec(authorization?.trim() ?? "");
  return match?.[1]?.trim() ?? null;
}

/** A plain HTTP answer on the raw socket: the official client treats 403/404 as final (§2). */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify(errorBody(message));
  socket.once("finish", () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}\r\n` +
      "Connection: close\r\n" +
      "Content-Type: application/json; charset=utf-8\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body,
  );
}
