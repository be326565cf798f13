// What the plan says about ports the config does not declare: a Dockerfile `EXPOSE` becomes
// written ports by the CLI's rules (published, liveness `/`), which a Compose user would not
// expect; the note names where they came from and how to choose instead. Pure.
import type { LiveService, PortSpec } from "../model/service-spec.js";
import type { ResolvedService } from "../model/wire.js";

/** `written`: the ports the planned spec carries. Empty unless they come from EXPOSE (no `ports:`, none live). */
export function exposeNotes(service: ResolvedService, live: LiveService | null, written: readonly PortSpec[]): string[] {
  const expose = service.defaultPorts ?? [];
  if (service.ports !== null || (live?.ports ?? []).length > 0 || expose.length === 0 || written.length === 0) return [];
  const shown = written.map((p) => {
    const how = [p.published === true ? "published" : "not published", ...(p.public === true ? ["public"] : []), ...(p.liveness ? [`liveness ${p.liveness}`] : [])];
    return `${String(p.num)} (${how.join(", ")})`;
  });
  return [`no \`ports:\` declared: the ports come from the Dockerfile's \`EXPOSE ${expose.map((p) => String(p.num)).join(" ")}\`, written as ${shown.join(", ")} by the MeshAgent CLI's rules; declare \`ports:\` to choose`];
}
