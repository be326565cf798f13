// The plan for one declared service: create when absent, update when a managed field, an
// ownership annotation or its route differs, noop otherwise; with the reason and field changes.
// Pure: builds new specs from copies; the bodies are exactly what apply will send.
import { pinned, pinOf, unpinned } from "../model/image-pin.js";
import { CONTEXT_HASH, DECLARED, DOMAIN, MANAGED_BY, OWNER, PROTECT, RESTART_PENDING_PREFIX, SPEC_HASH, ownershipOf } from "../model/annotations.js";
import { ALL_MOUNT_KINDS, hashOf, normalise, viewOf, type ManagedView, type MountKind, type NormalSpec, type ViewOptions } from "../model/managed-view.js";
import type { LiveService, Route, ServiceSpec } from "../model/service-spec.js";
import { dumpServiceSpec, specModelsFor } from "../model/spec-model.js";
import { buildServiceSpec, PLATFORM_0_39, type ResolvedService, type WirePlatform } from "../model/wire.js";
import { platformProblems } from "./platform-rules.js";
import { additions, diffViews } from "./diff-view.js";
import { OWN_KEYS, ownAnnotations } from "./own-annotations.js";
import { planRoutes } from "./plan-routes.js";
import { adoptNotes, createNotes, withNotes, withWarnings } from "./service-notes.js";
import { listPaths, updateReason } from "./update-reason.js";
import { exposeNotes } from "./port-notes.js";
import { absentReason } from "./absent-reason.js";
import { withProvenance, type Provenance } from "../model/provenance.js";
import type { BuildStep, Change, PlanProblem, PlannedService } from "./types.js";
import type { SourceLocation } from "../diagnostic.js";

export type ServicePlanResult = { ok: true; planned: PlannedService } | { ok: false; problem: PlanProblem };

/** The spec-hash covers what the config declares: undeclared ports, environment and mount kinds are the live service's. */
function hashOptions(service: ResolvedService): ViewOptions {
  const declared = Object.entries(service.mounts).filter(([, list]) => list !== null).map(([kind]) => kind as MountKind);
  return {
    ports: service.ports !== null,
    environment: service.manageEnvironment,
    mounts: new Set(declared),
    defaultIdentity: service.name,
    ...(service.runAs !== null ? { runAs: true } : {}),
    ...(service.template !== null ? { template: true } : {}),
    ...(service.enabled !== null ? { enabled: true } : {}),
  };
}

/** The declared optional fields as the DECLARED annotation records them, e.g. `environment,mounts.room,ports`. */
function declaredText(options: ViewOptions): string {
  const fields = [
    ...(options.environment ? ["environment"] : []),
    ...[...options.mounts].map((kind) => `mounts.${kind}`),
    ...(options.ports ? ["ports"] : []),
    ...(options.runAs ? ["runAs"] : []),
    ...(options.template ? ["template"] : []),
    ...(options.enabled ? ["enabled"] : []),
  ];
  return fields.sort().join(",");
}

/** The options a recorded spec-hash was made with; null when the service carries no record (written before it existed). */
function recordedOptions(text: string | undefined, defaultIdentity: string): ViewOptions | null {
  if (text === undefined) return null;
  const fields = new Set(text.split(",").filter(Boolean));
  const mounts = [...ALL_MOUNT_KINDS].filter((kind) => fields.has(`mounts.${kind}`));
  return {
    ports: fields.has("ports"),
    environment: fields.has("environment"),
    mounts: new Set(mounts),
    defaultIdentity,
    ...(fields.has("runAs") ? { runAs: true } : {}),
    ...(fields.has("template") ? { template: true } : {}),
    ...(fields.has("enabled") ? { enabled: true } : {}),
  };
}

/**
 * The desired spec without meshdeploy's annotations, normalised once, its view of every managed
 * leaf (what the diff compares) and the spec-hash of its managed fields (made from that view).
 */
function desiredWithHash(service: ResolvedService, live: LiveService | null, platform: WirePlatform): { spec: ServiceSpec; normal: NormalSpec; view: ManagedView; hash: string; declared: string } {
  const spec = buildServiceSpec(service, live, {}, platform);
  const normal = normalise(spec, specModelsFor(platform.generation));
  const options = hashOptions(service);
  const full = diffOptions(service);
  const view = viewOf(normal, full);
  return { spec, normal, view, hash: hashOf(normal, options, { domain: service.domain ?? "" }, { view, options: full }), declared: declaredText(options) };
}

/**
 * `spec` with exactly `own` as meshdeploy's annotations: the live service's old ones are dropped
 * first, so a key meshdeploy no longer writes (a removed domain, a context gone) does not linger.
 */
function withOwnAnnotations(spec: ServiceSpec, own: Record<string, string>): ServiceSpec {
  const annotations = { ...(spec.metadata.annotations ?? {}) };
  for (const key of OWN_KEYS) delete annotations[key];
  return { ...spec, metadata: { ...spec.metadata, annotations: { ...annotations, ...own } } };
}

/** Every managed leaf: what the diff shows (an undeclared field is kept from live, so it never differs). */
function diffOptions(service: ResolvedService): ViewOptions {
  return { ...hashOptions(service), ports: true, environment: true, mounts: ALL_MOUNT_KINDS };
}

/** A short, readable form of a context hash for plan output. */
export function shortHash(hash: string | null): string | null {
  return hash === null ? null : `sha256:${hash.slice(0, 12)}`;
}

function buildStep(service: ResolvedService): BuildStep | null {
  return service.build && service.context ? { context: service.build.context, dockerfile: service.build.dockerfile, hash: service.context.hash } : null;
}

/** A problem located at `at` (a config key when the config writes it, or a place), else at the service. */
function problem(service: ResolvedService, message: string, hint?: string, at?: string | SourceLocation, kind?: PlanProblem["kind"]): ServicePlanResult {
  const location =
    typeof at === "object" ? at : at === "tag" ? service.locations.tag : ((at === undefined ? undefined : service.locations.fields?.[at]) ?? service.locations.service);
  return { ok: false, problem: { room: service.room, name: service.name, message, ...(hint ? { hint } : {}), location, ...(kind ? { kind } : {}) } };
}

/** A route problem, its hint naming where the ports came from when the config does not declare them. */
function routeProblem(service: ResolvedService, live: LiveService | null, found: { message: string; hint?: string }): ServicePlanResult {
  let hint = found.hint;
  if (service.ports === null && found.message.startsWith("domain requires")) {
    const livePorts = live?.ports ?? [];
    const expose = service.defaultPorts ?? [];
    const from =
      livePorts.length > 0
        ? `the config declares no \`ports:\`, so the live service's ports (${livePorts.map((p) => String(p.num)).join(", ")}) are kept`
        : expose.length > 0
          ? `the config declares no \`ports:\`; the ports come from the Dockerfile's \`EXPOSE ${expose.map((p) => String(p.num)).join(" ")}\``
          : "the config declares no `ports:` and the Dockerfile has no `EXPOSE`";
    hint = `${from}; ${found.hint ?? "declare `ports:` with one `published: true` port"}`;
  }
  return problem(service, found.message, hint, "domain");
}

/** `provenance` is written on the service (never compared: it alone never causes an update). */
export function planCreate(service: ResolvedService, routes: readonly Route[] | null, owner: string, provenance: Provenance | null = null, platform: WirePlatform = PLATFORM_0_39): ServicePlanResult {
  const refused = platformProblems(service, platform)[0];
  if (refused !== undefined) return problem(service, refused.message, refused.hint, refused.location);
  const { spec, view, hash, declared } = desiredWithHash(service, null, platform);
  const withOwn = withOwnAnnotations(spec, ownAnnotations(service, owner, hash, declared));
  const route = planRoutes(service, withOwn.ports ?? [], null, routes, owner);
  if (route.problem) return routeProblem(service, null, route.problem);
  return {
    ok: true,
    planned: {
      type: "create",
      room: service.room,
      name: service.name,
      image: service.image,
      id: null,
      reason: `${absentReason(service, routes, owner)}${service.build ? "; the image is built from its context first" : ""}`,
      drift: false,
      changes: [
        ...(service.context ? [{ path: "build.context", before: null, after: shortHash(service.context.hash) }] : []),
        ...additions(view),
        ...route.changes,
      ],
      body: dumpServiceSpec(withProvenance(withOwn, provenance), { excludeNone: true, excludeId: true }, specModelsFor(platform.generation)),
      ...(service.enabled === false ? { disabled: true as const } : {}),
      routes: route.steps,
      build: buildStep(service),
      restart: false,
      configIndex: service.index,
      ...withNotes([...(service.notes ?? []), ...exposeNotes(service, null, withOwn.ports ?? []), ...createNotes(service, platform)]),
      ...withWarnings(service),
    },
  };
}

/** How to adopt a service meshdeploy does not manage yet. */
export interface AdoptOptions {
  /**
   * false (--no-rebuild-on-adopt): a `build:` service whose running image already has the declared
   * tag keeps it (the context hash is recorded as is) instead of being rebuilt and restarted.
   */
  rebuild: boolean;
}

/** `adoptFrom`: earlier owners whose services this plan takes over instead of refusing them. */
export function planExisting(
  service: ResolvedService,
  liveAsIs: LiveService,
  routes: readonly Route[] | null,
  owner: string,
  provenance: Provenance | null = null,
  platform: WirePlatform = PLATFORM_0_39,
  adoptFrom: readonly string[] = [],
  adopt: AdoptOptions = { rebuild: true },
): ServicePlanResult {
  // A digest-pinned live image is compared as the tag it records (model/image-pin.ts).
  const pin = pinOf(liveAsIs);
  const live = unpinned(liveAsIs);
  const refused = platformProblems(service, platform)[0];
  if (refused !== undefined) return problem(service, refused.message, refused.hint, refused.location);
  const models = specModelsFor(platform.generation);
  const liveAnnotations = live.metadata.annotations ?? {};
  const ownership = ownershipOf(liveAnnotations);
  const adopting = ownership.managed && ownership.owner !== owner && ownership.owner !== null && adoptFrom.includes(ownership.owner) ? ownership.owner : null;
  if (ownership.managed && ownership.owner !== owner && adopting === null) {
    const other = ownership.owner ?? "";
    return problem(
      service,
      `ownership conflict: service ${service.name} in room ${service.room} is managed by meshdeploy owner "${other}", not "${owner}"`,
      `if it is yours (an earlier owner of this config), take it over with \`--adopt-from ${other}\` (or \`previousOwners: [${other}]\` in the config) and review the plan; otherwise change the tag so the derived name differs`,
      "tag",
      "ownership",
    );
  }
  const { spec, view, hash, declared } = desiredWithHash(service, live, platform);
  const own = ownAnnotations(service, owner, hash, declared);
  // The annotations do not touch the ports: the spec with them is made only for a body.
  const route = planRoutes(service, spec.ports ?? [], live, routes, owner);
  if (route.problem) return routeProblem(service, live, route.problem);

  // Each side is normalised and flattened once; the live hash is made (from the same view) only
  // when it can matter: drift is drift only when there is a field change to correct.
  const liveNormal = normalise(live, models);
  const fullOptions = diffOptions(service);
  const liveView = viewOf(liveNormal, fullOptions);
  const fieldChanges = diffViews(liveView, view);
  const recordedRaw = liveAnnotations[SPEC_HASH];
  const restartPending = recordedRaw?.startsWith(RESTART_PENDING_PREFIX) ?? false;
  const recorded = restartPending ? recordedRaw!.slice(RESTART_PENDING_PREFIX.length) : recordedRaw;
  // Drift: the live service against the hash it records, made with the fields declared then.
  const liveOptions = (): ViewOptions => recordedOptions(liveAnnotations[DECLARED], service.name) ?? hashOptions(service);
  const liveHash = (): string => hashOf(liveNormal, liveOptions(), { domain: liveAnnotations[DOMAIN] ?? "" }, { view: liveView, options: fullOptions });
  // Only drift that the update corrects counts (an edit of a field no longer declared is kept).
  const drift = recorded !== undefined && fieldChanges.length > 0 && recorded !== liveHash();
  const ownChanges: Change[] = [MANAGED_BY, OWNER, DOMAIN, DECLARED, PROTECT]
    .filter((key) => (liveAnnotations[key] ?? null) !== (own[key] ?? null))
    .map((key) => ({ path: `metadata.annotations.${key}`, before: liveAnnotations[key] ?? null, after: own[key] ?? null }));
  const liveContext = liveAnnotations[CONTEXT_HASH] ?? null;
  // Adopting without a build record: the running image may be this context, or not (no way to tell).
  const keepImage = !ownership.managed && !adopt.rebuild && liveContext === null && !fieldChanges.some((c) => c.path === "container.image");
  const contextChanges: Change[] =
    service.context && liveContext !== service.context.hash && !keepImage ? [{ path: "build.context", before: shortHash(liveContext), after: shortHash(service.context.hash) }] : [];
  const hashOnly = fieldChanges.length === 0 && ownChanges.length === 0 && contextChanges.length === 0 && recordedRaw !== hash;
  const specChanges = [
    ...contextChanges,
    ...fieldChanges,
    ...ownChanges,
    ...(hashOnly ? [{ path: `metadata.annotations.${SPEC_HASH}`, before: recordedRaw ?? null, after: hash }] : []),
  ];
  // Build when the context or the tag moved; an unchanged context under the same tag is reused.
  const build = contextChanges.length > 0 || fieldChanges.some((c) => c.path === "container.image") ? buildStep(service) : null;
  const changes = [...specChanges, ...route.changes];
  const body = specChanges.length > 0 ? dumpServiceSpec({ ...withProvenance(withOwnAnnotations(spec, own), provenance), id: live.id }, { excludeNone: false }, models) : null;
  // An update that does not rebuild keeps running the pinned digest of the same tag.
  const keepPin = pin !== null && build === null && pin.tag === service.image;

  // Unchanged config on an upgraded server: the record is what this config wrote for a 0.39 server.
  const rewritten =
    platform.generation !== PLATFORM_0_39.generation && recorded !== undefined && recorded !== hash && fieldChanges.length > 0 && !drift &&
    desiredWithHash(service, live, PLATFORM_0_39).hash === recorded;
  const updateWhy = updateReason({
    service, managed: ownership.managed, drift, recordedIsDesired: recorded === hash, fieldChanges, contextChanges, liveContext, restartPending, ownChanges,
    specChanged: specChanges.length > 0, routeChanges: route.changes, rewrittenFor: rewritten ? platform.version : null,
  });
  const reason = adopting !== null ? `adopting from meshdeploy owner "${adopting}"${fieldChanges.length > 0 ? `; config changed: ${listPaths(fieldChanges)}` : ""}` : updateWhy;
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
      body: body !== null && keepPin ? pinned(body, pin) : body,
      ...(keepPin ? { digest: pin.digest } : {}),
      ...((service.enabled ?? (liveAsIs as { enabled?: unknown }).enabled) === false ? { disabled: true as const } : {}),
      ...(build !== null && typeof liveAsIs.container?.image === "string" ? { liveImage: liveAsIs.container.image } : {}),
      routes: route.steps,
      build,
      // Only a changed container (fields, context, an earlier failed restart) needs a new one;
      // a change of meshdeploy's own records or of the route does not.
      restart: fieldChanges.length > 0 || contextChanges.length > 0 || restartPending,
      configIndex: service.index,
      ...withWarnings(service),
      // One list: the context's notes, EXPOSE ports, and what adopting does (a second spread would replace the first).
      ...withNotes([
        ...(service.notes ?? []),
        ...exposeNotes(service, live, spec.ports ?? []),
        ...(ownership.managed ? [] : adoptNotes(service, live, routes, { build: build !== null, keptImage: keepImage && service.context !== null, restart: fieldChanges.length > 0 || contextChanges.length > 0 })),
      ]),
    },
  };
}
