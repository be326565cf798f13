// Fingerprints of the live services a plan touches, so a saved plan can tell whether anything it
// was computed from moved: sha256 of the service's normalised spec (defaults filled, nulls
// dropped, keys sorted; its id included) together with the routes its route steps touch, or
// "absent" when neither exists. Pure.
import type { LiveService, Route } from "../../model/service-spec.js";
import { dumpServiceSpec } from "../../model/spec-model.js";
import { sha256Hex, stableStringify } from "../../model/stable-json.js";
import type { ActionType, LiveRoom, Plan, PlannedService } from "../types.js";

export const ABSENT = "absent";

export interface Fingerprint {
  room: string;
  name: string;
  action: Exclude<ActionType, "noop">;
  fingerprint: string;
}

export function serviceFingerprint(live: LiveService | null, routes: readonly (Route | null)[]): string {
  if (live === null && routes.every((r) => r === null)) return ABSENT;
  const service = live === null ? null : dumpServiceSpec(live, { excludeNone: true });
  return `sha256:${sha256Hex(stableStringify({ service, routes }))}`;
}

/** The fingerprint of what `service` touches in `live` right now. */
export function fingerprintOf(service: PlannedService, live: Readonly<Record<string, LiveRoom>>): string {
  const room = live[service.room];
  const found = room?.services.find((s) => s.metadata.name === service.name) ?? null;
  const routes = service.routes.map((step) => room?.routes?.find((r) => r.domain === step.domain) ?? null);
  return serviceFingerprint(found, routes);
}

/** One per create, update and delete of `plan`. */
export function touchedFingerprints(plan: Plan, live: Readonly<Record<string, LiveRoom>>): Fingerprint[] {
  return plan.services
    .filter((s): s is PlannedService & { type: Fingerprint["action"] } => s.type !== "noop")
    .map((s) => ({ room: s.room, name: s.name, action: s.type, fingerprint: fingerprintOf(s, live) }));
}
