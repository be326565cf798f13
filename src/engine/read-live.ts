// The read phase: list each room once (in parallel), and list a room's routes only when a
// declared service there has a domain or a service this owner manages recorded one. A no-op run
// therefore costs one request per room (plus the naming look-up when a tag needs it).
import { DOMAIN, isOwnedBy } from "../model/annotations.js";
import type { ResolvedService } from "../model/wire.js";
import type { LiveRoom } from "../plan/types.js";
import type { Target } from "../target/target.js";

export interface ReadOptions {
  owner: string;
  /** Create missing rooms first (the embedded local room only). */
  createRooms: boolean;
}

export async function readLive(target: Target, services: readonly ResolvedService[], options: ReadOptions): Promise<Record<string, LiveRoom>> {
  const rooms = [...new Set(services.map((s) => s.room))];
  const entries = await Promise.all(
    rooms.map(async (room): Promise<[string, LiveRoom]> => {
      if (options.createRooms) await target.ensureRoom(room);
      const live = await target.listServices(room);
      const needsRoutes =
        services.some((s) => s.room === room && s.domain !== null) ||
        live.some((l) => isOwnedBy(l.metadata.annotations, options.owner) && l.metadata.annotations?.[DOMAIN] !== undefined);
      return [room, { services: live, routes: needsRoutes ? await target.listRoomRoutes(room) : null }];
    }),
  );
  return Object.fromEntries(entries);
}
