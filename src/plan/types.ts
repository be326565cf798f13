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
  /** The digest the live service is pinned to and keeps (model/image-pin.ts); absent when it runs the tag. */
  digest?: string;
  /** `enabled: false` (declared, or live and not declared): written but never started, restarted or waited for. */
  disabled?: true;
  /** For an update that rebuilds: the live image it replaces (the room's image cache drops it after). */
  liveImage?: string;
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
  /** What the server will do that the config does not say (e.g. the default runtime template); absent when nothing. */
  notes?: string[];
  /** What deserves a fix but does not stop the plan (e.g. an image by the moving tag `latest`); absent when nothing. */
  warnings?: PlanWarning[];
}

/** A warning about one service: shown with it, located in the config like a problem. */
export interface PlanWarning {
  message: string;
  hint?: string;
  location?: import("../diagnostic.js").SourceLocation;
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
  /** What kind of problem, when it is one of these: another owner's service, a protected one prune would delete. */
  kind?: "ownership" | "protected";
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
}

export interface Plan {
  owner: string;
  /** Earlier owners whose services this plan takes over (`--adopt-from`, `previousOwners:`); absent when none. */
  adoptFrom?: string[];
  /** Where the owner came from (written, git, directory name); absent in plans made without a config. */
  ownerSource?: import("../model/owner.js").OwnerSource;
  /** `-e NAME`: the config environment the plan was made for; absent when the config declares none. */
  environment?: string;
  prune: boolean;
  /** Where the config came from (git), written on every service created or updated; absent outside git. */
  provenance?: import("../model/provenance.js").Provenance;
  /**
   * The MeshAgent version the plan was made for, and where that came from (absent: made without a
   * target); `warning` when the server's version could not be read or is newer than any known.
   */
  platform?: { version: string; source: import("../model/platform.js").PlatformSource; warning?: string };
  /**
   * `--service`/`--room`/`--exclude` the plan was made with (absent: the whole config). Under
   * targeting prune is off and orphans are not listed; a saved plan applies these targets again.
   */
  targets?: import("../model/targets.js").Targets;
  services: PlannedService[];
  /** Problems that make the plan unsafe to apply (e.g. a name owned by another owner). */
  problems: PlanProblem[];
  /** Services this owner manages that the config no longer declares, kept because prune is off. */
  /** What the read phase could not check (e.g. the project's rooms could not be listed); shown with the plan. */
  warnings?: string[];
  orphans: { room: string; name: string; id: string; /** Recorded `protect: true`: prune will refuse it. */ protected?: boolean }[];
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
