// Test helper: the official @meshagent/meshagent@0.39.9 RoomClient connected to a local room the
// way meshdeploy must use it (room-protocol.md §12): REST connectRoom, then a websocket protocol
// whose channel attaches a no-op 'error' listener before disposing (guard C1), `ready.catch`
// before `start()` (C2) and `reconnectTimeout: 0` (C3).
import { createRequire } from "node:module";
import type { RoomClient as RoomClientType } from "@meshagent/meshagent";
import { PID, TOKEN } from "../helpers/local-room.js";

// dist/esm of the package is CommonJS marked as ESM; the require build is the one that loads.
export const sdk = createRequire(import.meta.url)("@meshagent/meshagent") as typeof import("@meshagent/meshagent");

export type RoomClient = RoomClientType;

class GuardedChannel extends sdk.WebSocketProtocolChannel {
  override dispose(): void {
    // C1: after a non-101 answer `ws` emits 'error' on a socket the client no longer listens to.
    (this.webSocket as unknown as { on?: (event: string, listener: () => void) => void } | null)?.on?.("error", () => undefined);
    super.dispose();
  }
}

export class GuardedProtocol extends sdk.WebSocketClientProtocol {
  constructor(options: { url: string; token: string }) {
    super(options);
    (this as unknown as { channel: unknown }).channel = new GuardedChannel({ url: options.url, jwt: options.token });
  }
}

/** Starts a RoomClient on `url` with `token`; rejects (cleanly) when the room refuses it. */
export async function startRoomClient(url: string, token: string): Promise<RoomClient> {
  const client = new sdk.RoomClient({ protocolFactory: GuardedProtocol.createFactory({ url, token }), reconnectTimeout: 0 });
  client.ready.catch(() => undefined);
  await client.start();
  return client;
}

/** connectRoom over REST, then a started RoomClient for that room. */
export async function connectRoomClient(baseUrl: string, room = "dev"): Promise<{ client: RoomClient; info: { jwt: string; roomUrl: string } }> {
  const info = await new sdk.Meshagent({ baseUrl, token: TOKEN }).connectRoom(PID, room);
  return { client: await startRoomClient(info.roomUrl, info.jwt), info };
}

/** Pitfall C5: let the client write its queued close chunks before disposing. */
export async function disposeSoon(client: RoomClient): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  client.dispose();
}

export async function* chunksOf(data: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}
