// Where a run's fault spec comes from: the --faults flag, else MESHDEPLOY_LOCAL_FAULTS. A spec
// without a seed gets a random one here (the only non-deterministic step, at the edge), and the
// line printed for it carries the full spec so the same faults can be replayed.
import { randomInt } from "node:crypto";
import { FAULTS_ENV, formatFaultSpec, parseFaultSpec, withSeed, type SeededFaultSpec } from "./fault-spec.js";

/** The spec in force, or null for none. Throws UsageError for a malformed one. */
export function resolveFaults(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): SeededFaultSpec | null {
  const text = flag ?? env[FAULTS_ENV];
  if (text === undefined) return null;
  const spec = parseFaultSpec(text, flag !== undefined ? "--faults" : FAULTS_ENV);
  return spec === null ? null : withSeed(spec, () => randomInt(0, 0xffffffff));
}

/** The line shown when faults are on. */
export function describeFaults(spec: SeededFaultSpec): string {
  return `local room: injecting faults (replay with --faults "${formatFaultSpec(spec)}")`;
}
