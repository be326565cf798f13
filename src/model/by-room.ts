// Services grouped by room in one pass, for the read and plan phases (a filter per room is
// O(rooms × services): seconds at 100 rooms × 20,000 services). Pure.

/** The services of each room, in their order; the rooms in the order they are first named. */
export function groupByRoom<T extends { room: string }>(services: readonly T[]): Map<string, T[]> {
  const byRoom = new Map<string, T[]>();
  for (const service of services) {
    const list = byRoom.get(service.room);
    if (list === undefined) byRoom.set(service.room, [service]);
    else list.push(service);
  }
  return byRoom;
}
