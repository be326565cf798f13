// Loads the official MeshAgent client (@meshagent/meshagent@0.39.9) and guards its known
// pitfalls (shared/meshagent/room-protocol.md §12) so a bad token or a dead room is a clean
// error, never a crash or a hang:
//   C1: a refused websocket upgrade emits 'error' on a socket with no listener → crash. The
//       guarded channel attaches a no-op listener before disposing.
//   C2: the internal `ready` promise rejects unhandled → callers attach a handler (room-session.ts).
//   C3: endless reconnects → callers pass a bounded reconnectTimeout.
// The package's ESM build is CommonJS marked as ESM and cannot be imported from ESM, so it is
// loaded through require (its `node` CommonJS build), with the types imported separately.
import { createRequire } from "node:module";
import type * as Official from "@meshagent/meshagent";

const official = createRequire(import.meta.url)("@meshagent/meshagent") as typeof Official;

export const { Meshagent, RoomClient, RoomServerException } = official;
export type RoomClientType = Official.RoomClient;
export type DockerSecret = Official.DockerSecret;
export type ServiceRuntimeState = Official.ServiceRuntimeState;

class GuardedChannel extends official.WebSocketProtocolChannel {
  override dispose(): void {
    const socket = this.webSocket as unknown as { on?: (event: string, listener: () => void) => void } | null;
    socket?.on?.("error", () => {});
    super.dispose();
  }
}

class GuardedProtocol extends official.WebSocketClientProtocol {
  constructor({ url, token }: { url: string; token: string }) {
    super({ url, token });
    (this as unknown as { channel: GuardedChannel }).channel = new GuardedChannel({ url, jwt: token });
  }
}

/** A protocol factory for RoomClient with the C1 guard. */
export function guardedProtocolFactory(url: string, token: string): Official.ProtocolFactory {
  return GuardedProtocol.createFactory({ url, token });
}
