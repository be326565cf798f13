// Prune must see every room the owner has services in, not only the rooms the config still names
// (a service moved from room A to room B would otherwise keep running in A, unreported). So the
// read phase lists the project's rooms once and then the services of each room the config does
// not name (8 at a time), and keeps the rooms holding a service this owner manages. Cost: one
// request per 1,000 rooms, plus one per room not named (measured in docs/semantics.md). A server
// without the room listing leaves it at the named rooms, and the plan says so.
import { DOMAIN, isOwnedBy } from "../model/annotations.js";
import { isMeshdeployError } from "../errors.js";
import type { LiveRoom } from "../plan/types.js";
import type { Target } from "../platform/target.js";

const PARALLEL = 8;

export interface Elsewhere {
  /** Rooms the config does not name that hold a service of this owner. */
  rooms: Record<string, LiveRoom>;
  /** false: the server offers no room listing (only the named rooms were seen). */
  listed: boolean;
}

/** `owners`: this config's owner and any earlier ones it adopts. */
export async function readOwnedElsewhere(target: Target, named: ReadonlySet<string>, owners: readonly string[]): Promise<Elsewhere> {
  const all = await target.listRooms();
  if (all === null) return { rooms: {}, listed: false };
  const others = all.filter((room) => !named.has(room));
  const rooms: Record<string, LiveRoom> = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < others.length) {
      const room = others[next++]!;
      const services = await target.listServices(room).catch((error: unknown) => {
        // Deleted between the two listings: nothing of ours there any more.
        if (isMeshdeployError(error) && error.code === "E_ROOM_NOT_FOUND") return [];
        throw error;
      });
      const owned = services.filter((s) => owners.some((owner) => isOwnedBy(s.metadata.annotations, owner)));
      if (owned.length === 0) continue;
      const routes = owned.some((s) => s.metadata.annotations?.[DOMAIN] !== undefined) ? await target.listRoomRoutes(room) : null;
      rooms[room] = { services, routes };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, others.length) }, worker));
  return { rooms: Object.fromEntries(Object.entries(rooms).sort(([a], [b]) => a.localeCompare(b))), listed: true };
}
