// Port numbers are unique within a service and avoid MeshAgent's reserved ports (api room_ports.py;
// the server refuses them with the message reused here). Pure.
import { RESERVED_ROOM_SERVICE_PORTS } from "../../model/spec-model-table.js";
import type { Diagnostic, SourceLocation } from "../../diagnostic.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export function portsRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const reserved = [...RESERVED_ROOM_SERVICE_PORTS].sort((a, b) => a - b).join(", ");
  for (const service of ctx.services) {
    // Located only when a finding needs it (a plan of 20,000 services locates nothing here).
    const firstAt = new Map<number, () => SourceLocation>();
    (service.ports ?? []).forEach((port, i) => {
      const location = (): SourceLocation => ctx.locate(servicePath(service, "ports", i, "num"));
      if (RESERVED_ROOM_SERVICE_PORTS.includes(port.num)) {
        out.push(
          diagnostic(
            "port-reserved",
            location(),
            `service port ${port.num} is reserved for MeshAgent room infrastructure; reserved ports: ${reserved}`,
            "choose another port number (MeshAgent would refuse the service)",
          ),
        );
      }
      const earlier = firstAt.get(port.num);
      if (earlier !== undefined) {
        out.push(diagnostic("port-unique", location(), `port ${port.num} is declared twice in this service (first at line ${earlier().line})`, "declare each port number once"));
      } else {
        firstAt.set(port.num, location);
      }
    });
  }
  return out;
}
