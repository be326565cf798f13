// The saved plan (`plan --out PLAN.json`): versioned JSON holding the exact actions (request
// bodies included), the config it was made from (path and desired-state hashes), the target (API
// URL and project, never a token) and a fingerprint of every live service an action touches.
// Bodies hold no credential: tokens are scopes and secrets are ids. Build contexts are stored
// relative to the config's directory. Pure: creating, parsing and rebasing are data only.
import path from "node:path";
import type { DesiredState } from "../../model/desired.js";
import { MeshdeployError } from "../../errors.js";
import { desiredHashes, relativePosix, type DesiredHashes } from "./desired-hash.js";
import { touchedFingerprints, type Fingerprint } from "./fingerprint.js";
import type { LiveRoom, Plan } from "../types.js";

export const SAVED_PLAN_KIND = "meshdeploy-plan";
export const SAVED_PLAN_FORMAT = 1;

/** `apiUrl` is "local" for the embedded local room (its URL changes from run to run). */
export interface SavedTarget {
  apiUrl: string;
  projectId: string;
}

export interface SavedPlan {
  formatVersion: typeof SAVED_PLAN_FORMAT;
  kind: typeof SAVED_PLAN_KIND;
  createdAt: string;
  createdBy: string;
  /** `path` as given on the command line, relative to the directory meshdeploy ran in. */
  config: { path: string } & DesiredHashes;
  target: SavedTarget;
  plan: Plan;
  fingerprints: Fingerprint[];
}

export interface SavePlanInput {
  plan: Plan;
  desired: DesiredState;
  configPath: string;
  target: SavedTarget;
  live: Readonly<Record<string, LiveRoom>>;
  now: Date;
  version: string;
}

export function createSavedPlan(input: SavePlanInput): SavedPlan {
  const configDir = path.dirname(input.desired.file);
  return {
    formatVersion: SAVED_PLAN_FORMAT,
    kind: SAVED_PLAN_KIND,
    createdAt: input.now.toISOString(),
    createdBy: `meshdeploy ${input.version}`,
    config: { path: input.configPath, ...desiredHashes(input.desired) },
    target: { ...input.target },
    plan: mapBuildContexts(input.plan, (context) => relativePosix(configDir, context)),
    fingerprints: touchedFingerprints(input.plan, input.live),
  };
}

/** The plan with its build contexts made absolute again against `configDir`. */
export function rebasePlan(saved: SavedPlan, configDir: string): Plan {
  return mapBuildContexts(saved.plan, (context) => path.resolve(configDir, ...context.split("/")));
}

function mapBuildContexts(plan: Plan, map: (context: string) => string): Plan {
  const copy = structuredClone(plan);
  for (const service of copy.services) if (service.build !== null) service.build.context = map(service.build.context);
  return copy;
}

/** True for text that is (or starts like) a saved plan, whatever the file is called. */
export function looksLikeSavedPlan(text: string): boolean {
  return /^\s*\{/.test(text) && text.includes(`"${SAVED_PLAN_KIND}"`);
}

export function parseSavedPlan(text: string, file: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw planFileError(file, `is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const record = (data ?? {}) as Record<string, unknown>;
  if (typeof data !== "object" || data === null || record["kind"] !== SAVED_PLAN_KIND) throw planFileError(file, `is not a meshdeploy plan (Expected "kind": "${SAVED_PLAN_KIND}")`);
  if (record["formatVersion"] !== SAVED_PLAN_FORMAT) {
    throw planFileError(file, `has formatVersion ${JSON.stringify(record["formatVersion"])}; this meshdeploy reads ${SAVED_PLAN_FORMAT}`);
  }
  const plan = record["plan"] as Record<string, unknown> | undefined;
  const config = record["config"] as Record<string, unknown> | undefined;
  const target = record["target"] as Record<string, unknown> | undefined;
  const ok =
    typeof config?.["path"] === "string" &&
    typeof config["hash"] === "string" &&
    Array.isArray(config["services"]) &&
    typeof target?.["apiUrl"] === "string" &&
    typeof target["projectId"] === "string" &&
    Array.isArray(plan?.["services"]) &&
    typeof plan["owner"] === "string" &&
    Array.isArray(record["fingerprints"]);
  if (!ok) throw planFileError(file, "is incomplete (config, target, plan or fingerprints missing)");
  return data as SavedPlan;
}

function planFileError(file: string, what: string): MeshdeployError {
  return new MeshdeployError("E_PLAN_FILE", `${file} ${what}`, { hint: "make a new one with `meshdeploy plan --out PLAN.json`" });
}
