// Executes a Plan against a Target with p-queue: each service is one task (its spec write, then
// its route steps). One failing service never stops the others; tasks already running finish;
// when `signal` aborts, tasks not yet started are skipped. The result says exactly what happened.
import PQueue from "p-queue";
import type { PlannedService, Plan } from "../plan/types.js";
import type { Target } from "../target/target.js";
import { applyRouteStep } from "./apply-route.js";

export type Outcome = "created" | "updated" | "deleted" | "unchanged" | "failed" | "skipped";

export interface ServiceResult {
  service: PlannedService;
  outcome: Outcome;
  /** The live id after the action (the new id for creates). */
  id: string | null;
  error: Error | null;
}

export type ApplyEvent =
  | { type: "start"; service: PlannedService }
  | { type: "finish"; result: ServiceResult };

export interface ApplyOptions {
  concurrency: number;
  onEvent?: (event: ApplyEvent) => void;
  signal?: AbortSignal;
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
}

const DONE: Record<PlannedService["type"], Outcome> = { create: "created", update: "updated", delete: "deleted", noop: "unchanged" };

async function applyOne(target: Target, service: PlannedService): Promise<string | null> {
  let id = service.id;
  if (service.type === "create") id = await target.createService(service.room, service.body!);
  if (service.type === "update" && service.body !== null) await target.updateService(service.room, id!, service.body);
  if (service.type === "delete") await target.deleteService(service.room, id!);
  for (const step of service.routes) await applyRouteStep(target, step);
  return id;
}

export async function applyPlan(target: Target, plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency) });
  const emit = options.onEvent ?? (() => {});
  const results: ServiceResult[] = [];
  const run = async (service: PlannedService): Promise<void> => {
    let result: ServiceResult;
    if (options.signal?.aborted) {
      result = { service, outcome: "skipped", id: service.id, error: null };
    } else {
      emit({ type: "start", service });
      try {
        result = { service, outcome: DONE[service.type], id: await applyOne(target, service), error: null };
      } catch (error) {
        result = { service, outcome: "failed", id: service.id, error: error instanceof Error ? error : new Error(String(error)) };
      }
    }
    results.push(result);
    emit({ type: "finish", result });
  };
  const work = plan.services.filter((s) => s.type !== "noop");
  for (const service of plan.services.filter((s) => s.type === "noop")) results.push({ service, outcome: "unchanged", id: service.id, error: null });
  await Promise.all(work.map((service) => queue.add(() => run(service))));
  const order = new Map(plan.services.map((s, i) => [s, i]));
  results.sort((a, b) => order.get(a.service)! - order.get(b.service)!);
  const count = (outcome: Outcome): number => results.filter((r) => r.outcome === outcome).length;
  return {
    results,
    summary: {
      created: count("created"),
      updated: count("updated"),
      deleted: count("deleted"),
      unchanged: count("unchanged"),
      failed: count("failed"),
      skipped: count("skipped"),
    },
  };
}
