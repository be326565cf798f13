// The plan for one declared service: create when absent, update when a managed field, an
// ownership annotation or its route differs, noop otherwise; with the reason and field changes.
// Pure: builds new specs from copies; the bodies are exactly what apply will send.
import { DOMAIN, MANAGED_BY, OWNER, SPEC_HASH, ownershipOf } from "../model/annotations.js";
import { managedView, viewHash, type ViewOptions } from "../model/managed-view.js";
import type { LiveService, Route, ServiceSpec } from "../model/service-spec.js";
import { dumpServiceSpec } from "../model/spec-model.js";
import { buildServiceSpec, type ResolvedService } from "../model/wire.js";
import { additions, diffViews } from "./diff-view.js";
import { ownAnnotations } from "./own-annotations.js";
import { planRoutes } from "./plan-routes.js";
import type { Change, PlanProblem, PlannedService } from "./types.js";

export type ServicePlanResult = { ok: true; planned: PlannedService } | { ok: false; problem: PlanProblem };

const MAX_REASON_PATHS = 3;

function hashOptions(service: ResolvedService): ViewOptions {
  return { ports: service.ports !== null, defaultIdentity: service.name };
}

/** The desired spec without meshdeploy's annotations, and the spec-hash of its managed fields. */
function desiredWithHash(service: ResolvedService, live: LiveService | null): { spec: ServiceSpec; hash: string } {
  const spec = buildServiceSpec(service, live, {});
  return { spec, hash: viewHash(spec, hashOptions(service), { domain: service.domain ?? "" }) };
}

function listPaths(changes: readonly Change[]): string {
  const shown = changes.slice(0, MAX_REASON_PATHS).map((c) => c.path);
  const more = changes.length > MAX_REASON_PATHS ? ` and ${changes.length - MAX_REASON_PATHS} more` : "";
  return shown.join(", ") + more;
}

function problem(service: ResolvedService, message: string, hint?: string): ServicePlanResult {
  return { ok: false, problem: { room: service.room, name: service.name, message, ...(hint ? { hint } : {}) } };
}

export function planCreate(service: ResolvedService, routes: readonly Route[] | null, owner: string): ServicePlanResult {
  const { spec, hash } = desiredWithHash(service, null);
  const withOwn = buildServiceSpec(service, null, ownAnnotations(service, owner, hash));
  const route = planRoutes(service, withOwn.ports ?? [], null, routes, owner);
  if (route.problem) return problem(service, route.problem, "declare `ports:` with one `published: true` port");
  return {
    ok: true,
    planned: {
      type: "create",
      room: service.room,
      name: service.name,
      image: service.image,
      id: null,
      reason: `not present in room ${service.room}`,
      drift: false,
      changes: [...additions(managedView(spec, { ...hashOptions(service), ports: true })), ...route.changes],
      body: dumpServiceSpec(withOwn, { excludeNone: true, excludeId: true }),
      routes: route.steps,
      configIndex: service.index,
    },
  };
}

export function planExisting(service: ResolvedService, live: LiveService, routes: readonly Route[] | null, owner: string): ServicePlanResult {
  const liveAnnotations = live.metadata.annotations ?? {};
  const ownership = ownershipOf(liveAnnotations);
  if (ownership.managed && ownership.owner !== owner) {
    return problem(
      service,
      `service ${service.name} in room ${service.room} is managed by meshdeploy owner "${ownership.owner ?? ""}", not "${owner}"`,
      `set \`owner: ${ownership.owner ?? ""}\` in the config to take it over, or change the tag so the derived name differs`,
    );
  }
  const { spec, hash } = desiredWithHash(service, live);
  const own = ownAnnotations(service, owner, hash);
  const desired = buildServiceSpec(service, live, own);
  const route = planRoutes(service, desired.ports ?? [], live, routes, owner);
  if (route.problem) return problem(service, route.problem, "declare `ports:` with one `published: true` port");

  const fieldChanges = diffViews(managedView(live, { ...hashOptions(service), ports: true }), managedView(spec, { ...hashOptions(service), ports: true }));
  const recorded = liveAnnotations[SPEC_HASH];
  const liveHash = viewHash(live, hashOptions(service), { domain: liveAnnotations[DOMAIN] ?? "" });
  const drift = recorded !== undefined && recorded !== liveHash;
  const ownChanges: Change[] = [MANAGED_BY, OWNER, DOMAIN]
    .filter((key) => (liveAnnotations[key] ?? null) !== (own[key] ?? null))
    .map((key) => ({ path: `metadata.annotations.${key}`, before: liveAnnotations[key] ?? null, after: own[key] ?? null }));
  const hashOnly = fieldChanges.length === 0 && ownChanges.length === 0 && recorded !== hash;
  const specChanges = [...fieldChanges, ...ownChanges, ...(hashOnly ? [{ path: `metadata.annotations.${SPEC_HASH}`, before: recorded ?? null, after: hash }] : [])];
  const changes = [...specChanges, ...route.changes];

  const reason = !ownership.managed
    ? `adopting: exists in room ${service.room} but is not yet managed by meshdeploy`
    : drift && recorded === hash
      ? `drift: edited outside meshdeploy (${listPaths(fieldChanges)})`
      : drift
        ? `config changed (${listPaths(fieldChanges)}); the live service was also edited outside meshdeploy`
        : fieldChanges.length > 0
          ? `config changed: ${listPaths(fieldChanges)}`
          : specChanges.length > 0
            ? "meshdeploy annotations out of date"
            : route.changes.length > 0
              ? `route ${listPaths(route.changes)} missing or different`
              : "up to date";
  return {
    ok: true,
    planned: {
      type: changes.length > 0 ? "update" : "noop",
      room: service.room,
      name: service.name,
      image: service.image,
      id: live.id,
      reason,
      drift,
      changes,
      body: specChanges.length > 0 ? dumpServiceSpec({ ...desired, id: live.id }, { excludeNone: false }) : null,
      routes: route.steps,
      configIndex: service.index,
    },
  };
}
