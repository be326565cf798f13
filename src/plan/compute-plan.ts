// computePlan(desired, live, options) → Plan. Pure and synchronous: no network, no clock, no
// mutation of its inputs. One keyed comparison per room drives it (desired vs live by service
// name); deletes only for services this owner manages, and only with prune.
import { MeshdeployError } from "../errors.js";
import { isOwnedBy, isProtected, ownershipOf } from "../model/annotations.js";
import type { LiveService } from "../model/service-spec.js";
import { PLATFORM_0_39, type ResolvedService, type WirePlatform } from "../model/wire.js";
import { groupByRoom } from "../model/by-room.js";
import { compareKeyed } from "./keyed-compare.js";
import { routesOfDeleted } from "./plan-routes.js";
import { planCreate, planExisting, type ServicePlanResult } from "./plan-service.js";
import type { Provenance } from "../model/provenance.js";
import { isTargeting, normalTargets, type Targets } from "../model/targets.js";
import type { LiveRoom, Plan, PlannedService, PlanProblem } from "./types.js";

export interface PlanOptions {
  owner: string;
  /** Earlier owners whose services are taken over: updated to `owner`, and (prune) deleted when undeclared. */
  adoptFrom?: readonly string[];
  prune: boolean;
  /** Written on every service created or updated (plain data, read from git by the engine); never compared. */
  provenance?: Provenance | null;
  /** The target's MeshAgent (the wire and the generation rules follow it); default: a 0.39 server. */
  platform?: WirePlatform;
  /** false (--no-rebuild-on-adopt): adopting a `build:` service whose running image has the tag keeps it. */
  rebuildOnAdopt?: boolean;
  /**
   * The run is targeted (`desired` is already the targeted subset, model/targets.ts): services
   * not declared are neither deleted nor listed as orphans, whatever `prune` says, and the plan
   * records the targets.
   */
  targets?: Targets;
}

export function computePlan(desired: readonly ResolvedService[], live: Readonly<Record<string, LiveRoom>>, options: PlanOptions): Plan {
  const services: PlannedService[] = [];
  const problems: PlanProblem[] = [];
  const orphans: Plan["orphans"] = [];
  // Grouped once: a filter per room is O(rooms × services), seconds at 100 rooms × 20,000 services.
  const byRoom = groupByRoom(desired);
  const named = new Set(byRoom.keys());
  const rooms = [...new Set([...named, ...Object.keys(live)])];
  const provenance = options.provenance ?? null;
  const platform = options.platform ?? PLATFORM_0_39;
  const adoptFrom = (options.adoptFrom ?? []).filter((o) => o !== options.owner);
  const owners = [options.owner, ...adoptFrom];
  const targets = isTargeting(options.targets) ? normalTargets(options.targets) : null;
  const prune = options.prune && targets === null;

  for (const room of rooms) {
    const liveRoom = live[room] ?? { services: [], routes: null };
    const inRoom = byRoom.get(room) ?? [];
    const { added, removed, mutual } = compareKeyed(inRoom, liveRoom.services, (s) => s.name, (l) => l.metadata.name);
    const results = [
      ...added.map((s) => guarded(s, () => planCreate(s, liveRoom.routes, options.owner, provenance, platform))),
      ...mutual.map(([s, l]) => guarded(s, () => planExisting(s, l, liveRoom.routes, options.owner, provenance, platform, adoptFrom, { rebuild: options.rebuildOnAdopt ?? true }))),
    ];
    for (const result of results) {
      if (result.ok) services.push(result.planned);
      else problems.push(result.problem);
    }
    // Targeted: what is not declared here is outside the targets, not gone from the config.
    if (targets !== null) continue;
    for (const l of removed.filter((l) => owners.some((o) => isOwnedBy(l.metadata.annotations, o)))) {
      const kept = isProtected(l.metadata.annotations);
      if (!prune) orphans.push({ room, name: l.metadata.name, id: l.id, ...(kept ? { protected: true } : {}) });
      else if (kept) problems.push(protectedProblem(l, room));
      else services.push(planDelete(l, room, liveRoom, ownershipOf(l.metadata.annotations).owner ?? options.owner, options.owner, named.has(room)));
    }
  }
  services.sort((a, b) => (a.configIndex ?? Infinity) - (b.configIndex ?? Infinity) || a.room.localeCompare(b.room) || a.name.localeCompare(b.name));
  const count = (type: PlannedService["type"]): number => services.filter((s) => s.type === type).length;
  return {
    owner: options.owner,
    ...(adoptFrom.length > 0 ? { adoptFrom: [...adoptFrom] } : {}),
    prune,
    ...(targets === null ? {} : { targets }),
    ...(provenance === null ? {} : { provenance: { ...provenance } }),
    services,
    problems,
    orphans,
    summary: { create: count("create"), update: count("update"), delete: count("delete"), noop: count("noop") },
  };
}

/** The wire mapping refuses some live states (an external service, a reserved port): a problem, not a crash. */
function guarded(service: ResolvedService, plan: () => ServicePlanResult): ServicePlanResult {
  try {
    return plan();
  } catch (error) {
    if (!(error instanceof MeshdeployError)) throw error;
    return { ok: false, problem: { room: service.room, name: service.name, message: error.message, ...(error.hint ? { hint: error.hint } : {}), location: service.locations.service } };
  }
}

/** Like Terraform's prevent_destroy: a protected service in the way of prune stops the whole plan. */
function protectedProblem(live: LiveService, room: string): PlanProblem {
  return {
    room,
    name: live.metadata.name,
    kind: "protected",
    message: `service ${live.metadata.name} in room ${room} is protected (a config with protect: true was applied), so prune will not delete it`,
    hint: "to delete it, declare it again with `protect: false` and apply, then remove it; to keep it, declare it again",
  };
}

/** `liveOwner` is the service's owner: this plan's, or an earlier one it adopts. */
function planDelete(live: LiveService, room: string, liveRoom: LiveRoom, liveOwner: string, owner: string, roomNamed: boolean): PlannedService {
  return {
    type: "delete",
    room,
    name: live.metadata.name,
    image: live.container?.image ?? "",
    id: live.id,
    reason: `owned by ${liveOwner === owner ? owner : `${liveOwner} (adopted by ${owner})`} and no longer declared (prune)${roomNamed ? "" : `; the config no longer names room ${room}`}`,
    drift: false,
    changes: [],
    body: null,
    routes: routesOfDeleted(live, liveRoom.routes, liveOwner),
    build: null,
    restart: false,
    configIndex: null,
  };
}
