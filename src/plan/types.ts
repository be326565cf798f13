// The Plan: plain, serialisable data. Produced by plan/compute-plan.ts (pure), executed by
// apply/, rendered by output/. Adding fields is fine; renaming breaks saved plans and JSON output.

export type ActionType = "create" | "update" | "delete" | "noop";

export interface Change {
  /** Dotted path of the managed field, e.g. `container.environment.APP_ENV`. */
  path: string;
  /** Display value (secrets as `secret:<id>`), null when absent. */
  before: string | null;
  after: string | null;
}

export type RouteStep =
  | { type: "create" | "update"; domain: string; room: string; port: string; annotations: Record<string, string> }
  | { type: "delete"; domain: string };

export interface PlannedService {
  type: ActionType;
  room: string;
  name: string;
  /** The image as written into the spec (after MeshAgent's shorthand normalisation). */
  image: string;
  /** Server id of the live service (null for create). */
  id: string | null;
  /** One line: why this action. */
  reason: string;
  /** True when the live service's managed fields no longer match its recorded spec-hash. */
  drift: boolean;
  changes: Change[];
  /** The request body to send: POST body for create, full PUT body for update; null otherwise. */
  body: Record<string, unknown> | null;
  /** Route writes that follow the service write (a domain change deletes the old route, creates the new). */
  routes: RouteStep[];
  /** Build the image in the room before writing the spec (services with `build:` whose context or tag changed). */
  build: BuildStep | null;
  /** Restart through the room after the PUT (the 0.39 CLI restarts after every update). */
  restart: boolean;
  /** Index in the config's `services:` (null for deletes). */
  configIndex: number | null;
}

export interface BuildStep {
  /** Absolute context directory and Dockerfile (relative to it; null = Containerfile, then Dockerfile). */
  context: string;
  dockerfile: string | null;
  /** The context hash the plan saw; apply refuses to push a context that changed since. */
  hash: string;
}

export interface PlanProblem {
  room: string;
  name: string;
  message: string;
  hint?: string;
  /** Where in the config the cause is written: the field when known (e.g. `domain:`), else the service. */
  location?: import("../diagnostic.js").SourceLocation;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
}

export interface Plan {
  owner: string;
  prune: boolean;
  /** Where the config came from (git), written on every service created or updated; absent outside git. */
  provenance?: import("../model/provenance.js").Provenance;
  /** The MeshAgent version the plan was made for, and where that came from (absent: made without a target). */
  platform?: { version: string; source: import("../model/platform.js").PlatformSource };
  services: PlannedService[];
  /** Problems that make the plan unsafe to apply (e.g. a name owned by another owner). */
  problems: PlanProblem[];
  /** Services this owner manages that the config no longer declares, kept because prune is off. */
  orphans: { room: string; name: string; id: string }[];
  summary: PlanSummary;
}

/** What the read phase found in one room. `routes` is null when the room needed no route look-up. */
export interface LiveRoom {
  services: import("../model/service-spec.js").LiveService[];
  routes: import("../model/service-spec.js").Route[] | null;
}

export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}
