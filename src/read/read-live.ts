// The read phase: list each room once (in parallel), and list a room's routes only when a
// declared service there has a domain or a service this owner manages recorded one. A no-op run
// therefore costs one request per room (plus the naming look-up when a tag needs it). A declared
// domain not routed to its own room is looked up by name, so the plan sees a route another room
// holds (a plan problem, nothing written) instead of apply finding it after the spec write.
import { DOMAIN, isOwnedBy } from "../model/annotations.js";
import { groupByRoom } from "../model/by-room.js";
import type { Route } from "../model/service-spec.js";
import type { ResolvedService } from "../model/wire.js";
import type { LiveRoom } from "../plan/types.js";
import type { Target } from "../platform/target.js";

export interface ReadOptions {
  /** This config's owner and any earlier ones it adopts. */
  owners: readonly string[];
  /** Create missing rooms first (the embedded local room only). */
  createRooms: boolean;
}

export async function readLive(target: Target, services: readonly ResolvedService[], options: ReadOptions): Promise<Record<string, LiveRoom>> {
  // Grouped once: a scan per room is O(rooms × services), seconds at 100 rooms × 20,000 services.
  const byRoom = groupByRoom(services);
  const entries = await Promise.all(
    [...byRoom].map(async ([room, inRoom]): Promise<[string, LiveRoom]> => {
      if (options.createRooms) await target.ensureRoom(room);
      const live = await target.listServices(room);
      const needsRoutes =
        inRoom.some((s) => s.domain !== null) ||
        live.some((l) => options.owners.some((o) => isOwnedBy(l.metadata.annotations, o)) && l.metadata.annotations?.[DOMAIN] !== undefined);
      return [room, { services: live, routes: needsRoutes ? await routesFor(target, room, inRoom) : null }];
    }),
  );
  return Object.fromEntries(entries);
}

/** The room's routes, plus the route of each domain declared there (`inRoom`) that routes elsewhere. */
async function routesFor(target: Target, room: string, inRoom: readonly ResolvedService[]): Promise<Route[]> {
  const routes = await target.listRoomRoutes(room);
  const elsewhere = [...new Set(inRoom.filter((s) => s.domain !== null && !routes.some((r) => r.domain === s.domain)).map((s) => s.domain!))];
  const found = await Promise.all(elsewhere.map((domain) => target.getRoute(domain)));
  return [...routes, ...found.filter((r): r is Route => r !== null)];
}
