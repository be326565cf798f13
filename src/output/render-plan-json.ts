// Plan → the versioned JSON of DESIGN.md ("plan --output json"). Extend, never break:
// formatVersion 1 fields stay; `services[].warnings`, `drift`, `problems`, `orphans`, `provenance`, `platform`, `owner`,
// `ownerSource`, `targets` and `environment` are additions. Pure.
import { attentionOf } from "../plan/attention.js";
import type { Plan } from "../plan/types.js";

export const PLAN_FORMAT_VERSION = 1;

export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    services: plan.services.map((s) => ({
      name: s.name,
      room: s.room,
      action: s.type,
      image: s.image,
      ...(s.digest ? { digest: s.digest } : {}),
      ...(s.disabled ? { disabled: true } : {}),
      reason: s.reason,
      changes: s.changes.map((c) => ({ path: c.path, before: c.before, after: c.after })),
      drift: s.drift,
      attention: attentionOf(s),
      ...(s.notes ? { notes: [...s.notes] } : {}),
      ...(s.warnings ? { warnings: s.warnings.map((w) => ({ ...w })) } : {}),
    })),
    summary: { ...plan.summary },
    problems: plan.problems.map((p) => ({ ...p })),
    orphans: plan.orphans.map((o) => ({ name: o.name, room: o.room, ...(o.protected ? { protected: true } : {}) })),
    ...(plan.provenance ? { provenance: { ...plan.provenance } } : {}),
    ...(plan.platform ? { platform: { ...plan.platform } } : {}),
    owner: plan.owner,
    ...(plan.warnings ? { warnings: [...plan.warnings] } : {}),
    ...(plan.ownerSource ? { ownerSource: { ...plan.ownerSource } } : {}),
    ...(plan.targets ? { targets: { services: [...plan.targets.services], rooms: [...plan.targets.rooms], exclude: [...plan.targets.exclude] } } : {}),
    ...(plan.environment === undefined ? {} : { environment: plan.environment }),
  };
}
