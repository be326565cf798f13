// Loads the official MeshAgent client (@meshagent/meshagent@0.39.9) and guards its known
// pitfalls (shared/meshagent/room-protocol.md §12) so a bad token or a dead room is a clean
// error, never a crash or a hang:
//   C1: a refused websocket upgrade emits 'error' on a socket with no listener → crash. The
//       guarded channel attaches a no-op listener before disposing.
//   C2: the internal `ready` promise rejects unhandled → callers attach a handler (room-session.ts).
//   C3: endless reconnects → callers pass a bounded reconnectTimeout.
//   W1: servers from 0.43 take the room token as `Authorization: Bearer` (platform-0.50.md §2.5);
//       the 0.39.9 channel only puts it in `?token=`. With `authHeader` the guarded channel opens
//       the socket itself with the header and no `?token=` (as the 0.50.1 clients do).
// The package's ESM build is CommonJS marked as ESM and cannot be imported from ESM, so it is
// loaded through require (its `node` CommonJS build), with the types imported separately.
import { realpathSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Official from "@meshagent/meshagent";
import WebSocket from "ws";

// Loaded by its real path: resolved through `exports`, CommonJS keeps a symlinked path (a symlinked
// node_modules, pnpm) while the package's own relative requires are realpath'd, so two copies of
// its classes loaded and `instanceof JsonContent` failed (`logs --local`).
const require = createRequire(import.meta.url);
const official = require(realpathSync(require.resolve("@meshagent/meshagent"))) as typeof Official;

export const { Meshagent, RoomClient, RoomServerException, BinaryContent, JsonContent } = official;
export type RoomClientType = Official.RoomClient;
export type DockerSecret = Official.DockerSecret;
export type ServiceRuntimeState = Official.ServiceRuntimeState;

/** The channel's private state that start() sets (npm 0.39.9 dist/node/protocol.js `start`). */
interface ChannelInternals {
  url: string;
  jwt: string;
  webSocket: WebSocket | null;
  _opened: unknown;
  _finished: boolean;
  _onDataReceived?: (data: Uint8Array) => void;
  _doneHandler?: () => void;
  _errorHandler?: (error: unknown) => void;
  _onUnexpectedResponse: (...args: never[]) => void;
  _onOpen: () => void;
  _onMessage: (event: unknown) => void;
  _onClose: (event: unknown) => void;
  _onError: (event: unknown) => void;
}

const { Completer } = official;

class GuardedChannel extends official.WebSocketProtocolChannel {
  readonly #authHeader: boolean;

  constructor(options: { url: string; jwt: string; authHeader: boolean }) {
    super({ url: options.url, jwt: options.jwt });
    this.#authHeader = options.authHeader;
  }

  /**
   * With authHeader, the library's start() line for line, except that the socket is opened with
   * the token as a header and without `?token=` (W1). The library builds a bare `new WebSocket(url)`
   * and offers no hook for headers, so its private fields are set here; keep in step with
   * protocol.js when the client is upgraded. Without authHeader, the library's start() unchanged.
   */
  override start(onDataReceived: (data: Uint8Array) => void, handlers: { onDone?: () => void; onError?: (error: unknown) => void }): void {
    if (!this.#authHeader) return super.start(onDataReceived, handlers);
    const self = this as unknown as ChannelInternals;
    const url = new URL(self.url);
    url.searchParams.delete("token");
    self._opened = new Completer();
    self._finished = false;
    self._onDataReceived = onDataReceived;
    self._doneHandler = handlers.onDone;
    self._errorHandler = handlers.onError;
    const socket = new WebSocket(url.toString(), { headers: { Authorization: `Bearer ${self.jwt}` } });
    self.webSocket = socket;
    socket.on("unexpected-response", self._onUnexpectedResponse as never);
    socket.addEventListener("open", self._onOpen);
    socket.addEventListener("message", self._onMessage as never);
    socket.addEventListener("close", self._onClose as never);
    socket.addEventListener("error", self._onError as never);
  }

  override dispose(): void {
    const socket = this.webSocket as unknown as { on?: (event: string, listener: () => void) => void } | null;
    socket?.on?.("error", () => {});
    super.dispose();
  }
}

class GuardedProtocol extends official.WebSocketClientProtocol {
  constructor({ url, token, authHeader }: { url: string; token: string; authHeader: boolean }) {
    super({ url, token });
    (this as unknown as { channel: GuardedChannel }).channel = new GuardedChannel({ url, jwt: token, authHeader });
  }
}

/**
 * A protocol factory for RoomClient with the C1 guard; `authHeader` (servers with the
 * `wsAuthHeader` feature) sends the token as `Authorization: Bearer` instead of `?token=`.
 */
export function guardedProtocolFactory(url: string, token: string, options: { authHeader?: boolean } = {}): Official.ProtocolFactory {
  return GuardedProtocol.createFactory({ url, token, authHeader: options.authHeader ?? false });
}
