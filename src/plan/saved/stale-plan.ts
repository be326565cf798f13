// Why a saved plan may no longer be applied: the target differs, the config means something
// else now, a live service an action touches moved (edited, created or deleted out of band), or a
// build context changed. Each reason is one line naming what moved; none means the plan is
// current. Pure.
import type { DesiredState } from "../../model/desired.js";
import type { ResolvedService } from "../../model/wire.js";
import { desiredHashes } from "./desired-hash.js";
import { ABSENT, fingerprintOf } from "./fingerprint.js";
import type { SavedPlan, SavedTarget } from "./saved-plan.js";
import type { LiveRoom } from "../types.js";

export interface CurrentState {
  desired: DesiredState;
  target: SavedTarget;
  live: Readonly<Record<string, LiveRoom>>;
  /** The current services (their build contexts freshly hashed). */
  services: readonly ResolvedService[];
  /** The MeshAgent version this apply speaks. */
  platform?: string;
}

export function staleReasons(saved: SavedPlan, current: CurrentState): string[] {
  return [...targetReasons(saved.target, current.target), ...platformReasons(saved, current.platform), ...configReasons(saved, current.desired), ...liveReasons(saved, current.live), ...contextReasons(saved, current.services)];
}

function showTarget(t: SavedTarget): string {
  return `${t.apiUrl === "local" ? "the local room" : t.apiUrl} (project ${t.projectId})`;
}

function targetReasons(saved: SavedTarget, now: SavedTarget): string[] {
  if (saved.apiUrl === now.apiUrl && saved.projectId === now.projectId) return [];
  return [`target: the plan was made for ${showTarget(saved)}, this apply targets ${showTarget(now)}`];
}

function platformReasons(saved: SavedPlan, now: string | undefined): string[] {
  const then = saved.plan.platform?.version;
  if (then === now || then === undefined || now === undefined) return [];
  return [`platform: the plan was made for MeshAgent ${then}, this apply speaks MeshAgent ${now}`];
}

function configReasons(saved: SavedPlan, desired: DesiredState): string[] {
  const now = desiredHashes(desired);
  if (now.hash === saved.config.hash) return [];
  const reasons: string[] = [];
  if (now.settings !== saved.config.settings) reasons.push("config: the top-level settings changed (project, owner or prune)");
  const key = (s: { room: string; tag: string }): string => `${s.room}\u0000${s.tag}`;
  const before = new Map(saved.config.services.map((s) => [key(s), s]));
  const after = new Map(now.services.map((s) => [key(s), s]));
  for (const s of now.services) {
    const old = before.get(key(s));
    if (old === undefined) reasons.push(`config: service ${s.tag} (room ${s.room}) was added`);
    else if (old.hash !== s.hash) reasons.push(`config: service ${s.tag} (room ${s.room}) changed`);
  }
  for (const s of saved.config.services) if (!after.has(key(s))) reasons.push(`config: service ${s.tag} (room ${s.room}) was removed`);
  if (reasons.length === 0) reasons.push("config: the services were reordered");
  return reasons;
}

function liveReasons(saved: SavedPlan, live: Readonly<Record<string, LiveRoom>>): string[] {
  const reasons: string[] = [];
  for (const f of saved.fingerprints) {
    const service = saved.plan.services.find((s) => s.room === f.room && s.name === f.name && s.type === f.action);
    const now = service === undefined ? null : fingerprintOf(service, live);
    if (now === f.fingerprint) continue;
    const exists = live[f.room]?.services.some((s) => s.metadata.name === f.name) ?? false;
    const what =
      f.fingerprint === ABSENT && exists
        ? `the plan creates it, but it exists now`
        : f.fingerprint !== ABSENT && !exists && f.action !== "create"
          ? `it was deleted since the plan was made`
          : `it was changed since the plan was made (its live spec or route differs)`;
    reasons.push(`live: ${f.name} in room ${f.room} (${f.action}): ${what}`);
  }
  return reasons;
}

function contextReasons(saved: SavedPlan, services: readonly ResolvedService[]): string[] {
  const reasons: string[] = [];
  for (const planned of saved.plan.services) {
    if (planned.build === null) continue;
    const now = services.find((s) => s.room === planned.room && s.name === planned.name)?.context?.hash ?? null;
    if (now !== planned.build.hash) reasons.push(`build: the context of ${planned.name} (room ${planned.room}) changed since the plan was made`);
  }
  return reasons;
}
