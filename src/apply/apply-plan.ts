// Executes a Plan against a Target with p-queue: each service is one task (build, spec write,
// restart, route steps); waiting for services to come up happens after, all in parallel. One
// failing service never stops the others; tasks already running finish; when `signal` aborts,
// tasks not yet started are skipped. The result says exactly what happened to each service.
import PQueue from "p-queue";
import { HashCache } from "../build-context/context-hash.js";
import { asError } from "../errors.js";
import type { PlannedService, Plan } from "../plan/types.js";
import type { RoomApi } from "../platform/room-api.js";
import type { Target } from "../platform/target.js";
import { applyRouteStep } from "./apply-route.js";
import { pinned } from "../model/image-pin.js";
import { cleanImageCache, publishedPin } from "./image-cache.js";
import type { HealthEntry } from "./check-health.js";
import { restartOrMarkPending } from "./restart.js";
import { buildImage, type Built } from "./build-image.js";
import { realClock, StatePoller, type Clock } from "./state-poller.js";
import { MAX_POLL_FAILURES, waitLive } from "./wait-live.js";

export type Outcome = "created" | "updated" | "deleted" | "unchanged" | "failed" | "skipped";

export interface ServiceResult {
  service: PlannedService;
  outcome: Outcome;
  /** The live id after the action (the new id for creates). */
  id: string | null;
  error: Error | null;
  /**
   * For a failure after the spec write succeeded (a restart, a route step or the wait failed):
   * what was written. The summary must not say "not created" for a service that exists.
   */
  written?: "created" | "updated" | "deleted";
}

export type Phase = "building" | "writing" | "restarting" | "waiting" | "live";

export type ApplyEvent =
  | { type: "start"; service: PlannedService }
  | { type: "phase"; service: PlannedService; phase: Phase }
  | { type: "log"; service: PlannedService; line: string }
  /** Something the user should know that does not fail the run (e.g. a secret the API would not let us check). */
  | { type: "warning"; line: string }
  | { type: "finish"; result: ServiceResult };

/** What the user chooses about an apply (flags): the same for a CLI apply, a watch cycle, a sync cycle. */
export interface RunSettings {
  concurrency: number;
  /** Wait for created and updated services to run (default true). */
  wait?: boolean;
  waitTimeoutMs?: number;
  pollIntervalMs?: number;
  /** `--max-deletes`: refuse (before any write) a plan that deletes more; undefined: no cap. Checked by reconcile.ts applyRun. */
  maxDeletes?: number;
}

/** RunSettings plus what the caller wires in: progress events and the stop signal. */
export interface RunOptions extends RunSettings {
  onEvent?: (event: ApplyEvent) => void;
  signal?: AbortSignal;
}

export interface ApplyOptions extends RunOptions {
  clock?: Clock;
  /** Content hashes kept between runs of one process (watch mode). */
  hashCache?: HashCache;
  /** Absolute directories never packed into a build context (meshdeploy's own state). */
  packExclude?: readonly string[];
  /** Called after each successful build (the engine records what was built). */
  onBuilt?: (service: PlannedService, built: Built) => Promise<void>;
}

export interface ApplySummary {
  created: number;
  updated: number;
  deleted: number;
  unchanged: number;
  failed: number;
  skipped: number;
}

export interface ApplyResult {
  results: ServiceResult[];
  summary: ApplySummary;
  /**
   * Health of the declared services the run did not wait for (unchanged ones, updates without a
   * restart), read fresh (apply/check-health.ts); [] from applyPlan alone.
   */
  health: HealthEntry[];
}

/** What a write got done, for a failure after it; `byAnother`: the service was another writer's identical create. */
interface Progress {
  id: string | null;
  written: boolean;
  byAnother: boolean;
}

const DONE: Record<PlannedService["type"], Outcome> = { create: "created", update: "updated", delete: "deleted", noop: "unchanged" };

/** `enabled: false` (MeshAgent 0.49+): the service is written but never started, so never restarted or waited for. */
const disabled = (s: PlannedService): boolean => s.body?.["enabled"] === false;

/** Written services that get a new container, so apply waits for it: creates, and updates that restart it. */
export const restarts = (s: PlannedService): boolean => !disabled(s) && (s.type === "create" || (s.type === "update" && s.restart));

export async function applyPlan(target: Target, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const emit = options.onEvent ?? (() => {});
  const wait = options.wait ?? true;
  const clock = options.clock ?? realClock;
  const cache = options.hashCache ?? new HashCache();
  const work = plan.services.filter((s) => s.type !== "noop");
  const previous = wait ? await containersBefore(target, work, clock) : new Map<string, string | null>();
  const pollers = new Map<string, StatePoller>();
  const poller = (room: RoomApi): StatePoller => {
    if (!pollers.has(room.room)) pollers.set(room.room, new StatePoller(room, options.pollIntervalMs ?? 1000, clock));
    return pollers.get(room.room)!;
  };

  /** `progress` records the id and whether the spec write is done, for a failure after it. */
  const writeOne = async (service: PlannedService, progress: Progress): Promise<string | null> => {
    // The room's RPCs, asked for once per service and only when a step needs them.
    const room = service.build !== null || (service.restart && !disabled(service)) ? await target.room(service.room) : null;
    let body = service.body;
    if (service.build !== null) {
      emit({ type: "phase", service, phase: "building" });
      const built = await buildImage(target, room!, service, service.build, { cache, exclude: options.packExclude ?? [], onLog: (line) => emit({ type: "log", service, line }) });
      await options.onBuilt?.(service, built);
      const pin = await publishedPin(target, room!, built.buildId, service.image).catch((error: unknown) => {
        emit({ type: "warning", line: `${service.name}: the built image's digest could not be read (${error instanceof Error ? error.message : String(error)}); it runs the tag ${service.image}` });
        return null;
      });
      if (pin !== null && body !== null) body = pinned(body, pin);
    }
    emit({ type: "phase", service, phase: "writing" });
    let id = service.id;
    if (service.type === "create") {
      const created = await target.createService(service.room, body!);
      id = created.id;
      progress.byAnother = created.byAnother;
    }
    if (service.type === "update" && body !== null) await target.updateService(service.room, id!, body);
    if (service.type === "delete") await target.deleteService(service.room, id!);
    progress.id = id;
    progress.written = service.type !== "update" || service.body !== null;
    if (service.restart && !disabled(service)) {
      emit({ type: "phase", service, phase: "restarting" });
      await restartOrMarkPending(target, room!, service, id!, clock);
    }
    for (const step of service.routes) await applyRouteStep(target, step);
    return id;
  };

  const waitOne = async (service: PlannedService, id: string): Promise<void> => {
    emit({ type: "phase", service, phase: "waiting" });
    const room = await target.room(service.room);
    await waitLive(poller(room), id, service.name, previous.get(id) ?? null, {
      timeoutMs: options.waitTimeoutMs ?? 300_000,
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
      logs: (containerId, maxLines) => room.containerLogs(containerId, { maxLines }),
    });
    emit({ type: "phase", service, phase: "live" });
  };

  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const write = async (service: PlannedService): Promise<ServiceResult> => {
    if (options.signal?.aborted) return { service, outcome: "skipped", id: service.id, error: null };
    emit({ type: "start", service });
    const progress: Progress = { id: service.id, written: false, byAnother: false };
    try {
      const id = await writeOne(service, progress);
      // Another run created it, identical, first (audit L6): this run created nothing.
      if (progress.byAnother) return { service, outcome: "unchanged", id, error: null };
      return { service, outcome: DONE[service.type], id, error: null };
    } catch (error) {
      const written = progress.written ? { written: DONE[service.type] as "created" | "updated" | "deleted" } : {};
      return { service, outcome: "failed", id: progress.id, error: asError(error), ...written };
    }
  };
  // Waits run after the queued write, outside the queue: every written service waits in parallel.
  const settle = async (result: ServiceResult): Promise<ServiceResult> => {
    // "unchanged" here: another writer created it and waits for it.
    if (result.outcome === "failed" || result.outcome === "skipped" || result.outcome === "unchanged" || !wait || !restarts(result.service) || result.id === null) return cleaned(result);
    try {
      await waitOne(result.service, result.id);
      return cleaned(result);
    } catch (error) {
      return { ...result, outcome: "failed", error: asError(error), written: result.outcome as "created" | "updated" };
    }
  };
  // After a built service is written (and waited for): the room's image cache drops the built tag and the image it replaced.
  const cleaned = async (result: ServiceResult): Promise<ServiceResult> => {
    const { service } = result;
    if (service.build === null || (result.outcome !== "created" && result.outcome !== "updated")) return result;
    const warnings = await target.room(service.room).then(
      (room) => cleanImageCache(target, room, service.image, service.liveImage ?? null),
      (error: unknown) => [`room ${service.room}: image cache not cleaned (${error instanceof Error ? error.message : String(error)})`],
    );
    for (const line of warnings) emit({ type: "warning", line });
    return result;
  };
  const settled = await Promise.all(
    work.map(async (service) => {
      const result = await settle((await queue.add(() => write(service)))!);
      emit({ type: "finish", result });
      return result;
    }),
  );
  const results = new Map<PlannedService, ServiceResult>(settled.map((r) => [r.service, r]));
  const ordered = plan.services.map((s) => results.get(s) ?? { service: s, outcome: "unchanged" as const, id: s.id, error: null });
  const count = (outcome: Outcome): number => ordered.filter((r) => r.outcome === outcome).length;
  return {
    results: ordered,
    summary: { created: count("created"), updated: count("updated"), deleted: count("deleted"), unchanged: count("unchanged"), failed: count("failed"), skipped: count("skipped") },
    health: [],
  };
}

/**
 * Container ids before the writes, for rooms with updates: the wait ignores these containers.
 * A read before anything is written: a transient failure is retried (as the waits retry their
 * polls) rather than failing the whole apply.
 */
async function containersBefore(target: Target, work: readonly PlannedService[], clock: Clock): Promise<Map<string, string | null>> {
  const rooms = [...new Set(work.filter((s) => s.type === "update" && s.restart).map((s) => s.room))];
  const before = new Map<string, string | null>();
  for (const name of rooms) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const room = await target.room(name);
        for (const [id, state] of await room.serviceStates()) before.set(id, state.containerId);
        break;
      } catch (error) {
        if (attempt >= MAX_POLL_FAILURES) throw error;
        await clock.sleep(250 * attempt);
      }
    }
  }
  return before;
}
