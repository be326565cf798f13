// The targeted services of a run (model/targets.ts), or a usage error before anything is read:
// a `--service`, `--room` or `--exclude` that names nothing in the config is refused with the
// names it could have meant (a typo in `--exclude` must not deploy what it meant to leave out),
// and so are targets that together keep no service. Nothing has been sent when this throws.
import { didYouMean } from "../config/did-you-mean.js";
import { ConfigError, UsageError } from "../errors.js";
import { describeTargets, namesOf, selectTargets, type Targets, type Unmatched } from "../model/targets.js";
import type { DesiredState } from "../model/desired.js";
import type { ResolvedService } from "../model/wire.js";
import type { Target } from "../platform/target.js";
import { resolveNames } from "./resolve-names.js";

export function requireTargets<S extends ResolvedService>(services: readonly S[], targets: Targets): S[] {
  const { selected, unmatched } = selectTargets(services, targets);
  const names = [...new Set(services.map((s) => s.name))];
  const rooms = [...new Set(services.map((s) => s.room))];
  const known = `declared services: ${names.join(", ") || "(none)"} (each also answers to its tag's repository); rooms: ${rooms.join(", ") || "(none)"}`;
  if (unmatched.length > 0) {
    const what = unmatched.map((u) => describeUnmatched(u, services, rooms)).join("; ");
    throw new UsageError(`targeting: ${what}; nothing was changed`, known);
  }
  if (selected.length === 0) {
    const where = services.map((s) => `${s.name} (room ${s.room})`).join(", ");
    throw new UsageError(`targeting: ${describeTargets(targets)} keeps no declared service; nothing was changed`, `declared: ${where || "(none)"}`);
  }
  return selected;
}

function describeUnmatched(u: Unmatched, services: readonly ResolvedService[], rooms: readonly string[]): string {
  if (u.flag === "room") {
    const close = didYouMean(u.name, rooms);
    return `--room ${u.name} is not a room the config names${close === null ? "" : ` (did you mean ${close}?)`}`;
  }
  const candidates = [...new Set([...services.map((s) => s.name), ...services.flatMap((s) => namesOf(s))])];
  const close = didYouMean(u.name, candidates);
  const room = u.flag === "exclude" && rooms.includes(u.name) ? ` (--exclude takes services; to leave room ${u.name} out, name the rooms to act on with --room)` : "";
  return `--${u.flag} ${u.name} matches no declared service${close === null ? "" : ` (did you mean ${close}?)`}${room}`;
}

/**
 * For a long-running session (watch): refuse targets that name nothing once, at start, instead of
 * at every cycle. A config whose names cannot be resolved is left to the cycle to report.
 */
export async function checkTargets(desired: DesiredState, target: Pick<Target, "namingContext">, targets: Targets): Promise<void> {
  let resolved: ResolvedService[];
  try {
    resolved = await resolveNames(desired, target);
  } catch (error) {
    if (error instanceof ConfigError) return;
    throw error;
  }
  requireTargets(resolved, targets);
}
