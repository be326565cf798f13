// Why a live service is updated (or not), in words for the plan: the most telling cause first,
// naming the first few changed paths or files. Pure.
import { DECLARED, DOMAIN, PROTECT } from "../model/annotations.js";
import type { ResolvedService } from "../model/wire.js";
import type { Change } from "./types.js";

const MAX_REASON_PATHS = 3;

export function listPaths(changes: readonly Change[]): string {
  const shown = changes.slice(0, MAX_REASON_PATHS).map((c) => c.path);
  const more = changes.length > MAX_REASON_PATHS ? ` and ${changes.length - MAX_REASON_PATHS} more` : "";
  return shown.join(", ") + more;
}

const MAX_CHANGED_FILES = 3;


/**
 * Why the context differs, naming the first few changed files when the manifest of the build the
 * live service runs is known (another checkout may have deployed since this one last built).
 */
function contextReason(service: ResolvedService, liveContext: string | null): string {
  const files = service.context?.since === liveContext ? service.context.changedFiles : null;
  if (!files || files.length === 0) return "context changed";
  const more = files.length > MAX_CHANGED_FILES ? ` and ${files.length - MAX_CHANGED_FILES} more` : "";
  return `context changed: ${files.slice(0, MAX_CHANGED_FILES).join(", ")}${more}`;
}

/** Why a live service is updated (or not), most telling cause first. */
export function updateReason(r: {
  service: ResolvedService;
  managed: boolean;
  drift: boolean;
  recordedIsDesired: boolean;
  fieldChanges: readonly Change[];
  contextChanges: readonly Change[];
  liveContext: string | null;
  restartPending: boolean;
  ownChanges: readonly Change[];
  specChanged: boolean;
  routeChanges: readonly Change[];
  /** The server's generation, when the recorded hash is what this config wrote for a 0.39 server. */
  rewrittenFor: string | null;
}): string {
  if (!r.managed) return `adopting: exists in room ${r.service.room} but is not yet managed by meshdeploy`;
  if (r.drift && r.recordedIsDesired) return `drift: edited outside meshdeploy (${listPaths(r.fieldChanges)})`;
  if (r.drift) return `config changed (${listPaths(r.fieldChanges)}); the live service was also edited outside meshdeploy`;
  if (r.fieldChanges.length > 0 && r.rewrittenFor !== null) {
    return `the server now speaks MeshAgent ${r.rewrittenFor}: the same config is written differently there (${listPaths(r.fieldChanges)})`;
  }
  if (r.fieldChanges.length > 0) return `config changed: ${listPaths(r.fieldChanges)}`;
  if (r.contextChanges.length > 0) return contextReason(r.service, r.liveContext);
  if (r.restartPending) return "an earlier apply wrote this service but its restart failed: restarting it";
  if (r.specChanged) return recordsReason(r.ownChanges);
  if (r.routeChanges.length > 0) return `${listPaths(r.routeChanges)} missing or different`;
  return r.service.context ? "up to date (context unchanged)" : "up to date";
}

/** Why an update changes only meshdeploy's own records (no container field, no context). */
function recordsReason(ownChanges: readonly Change[]): string {
  const described = ownChanges.map((c) => {
    if (c.path === `metadata.annotations.${DOMAIN}`) return c.after === null ? `domain ${c.before} removed` : c.before === null ? `domain ${c.after} added` : `domain ${c.before} → ${c.after}`;
    if (c.path === `metadata.annotations.${PROTECT}`) return c.after === "true" ? "protect on" : "protect off";
    if (c.path === `metadata.annotations.${DECLARED}`) return `declared fields ${c.before === null ? "recorded" : `${c.before || "(none)"} → ${c.after || "(none)"}`}`;
    return c.path;
  });
  return described.length > 0 ? `meshdeploy's records: ${described.join(", ")}` : "meshdeploy annotations out of date";
}
