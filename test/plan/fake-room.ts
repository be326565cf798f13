// A minimal in-memory "server" for pure planner tests: it stores POST/PUT bodies the way the
// local room does (model defaults filled, nulls dropped), so a plan can be applied and re-planned
// without I/O. Integration tests use the real local room instead.
import { dumpServiceSpec } from "../../src/model/spec-model.js";
import type { LiveService, ServiceSpec } from "../../src/model/service-spec.js";
import type { LiveRoom, Plan } from "../../src/plan/types.js";

export function applyToRooms(plan: Plan, rooms: Record<string, LiveRoom>): Record<string, LiveRoom> {
  const next: Record<string, LiveRoom> = structuredClone(rooms);
  let counter = 0;
  for (const s of plan.services) {
    const room = (next[s.room] ??= { services: [], routes: null });
    const stored = (body: Record<string, unknown>, id: string): LiveService =>
      ({ id, ...dumpServiceSpec(body as unknown as ServiceSpec, { excludeNone: true, excludeId: true }) }) as LiveService;
    if (s.type === "create") room.services.push(stored(s.body!, `new-${++counter}`));
    if (s.type === "update" && s.body) room.services = room.services.map((l) => (l.id === s.id ? stored(s.body!, s.id) : l));
    if (s.type === "delete") room.services = room.services.filter((l) => l.id !== s.id);
  }
  return next;
}
