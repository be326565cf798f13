// `domain:` routes to exactly one published port (the CLI's `_resolve_domain_route_target`). Only
// checkable here when `ports:` are declared; otherwise the live service's ports decide, later.
// Pure.
import type { Diagnostic } from "../diagnostic.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export function domainRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    if (service.domain === null || service.ports === null) continue;
    const published = service.ports.filter((port) => port.published === true).map((port) => port.num);
    if (published.length === 1) continue;
    const got = published.length === 0 ? "none" : `${published.length} (${published.join(", ")})`;
    out.push(
      diagnostic(
        "domain-port",
        ctx.locate(servicePath(service, "domain")),
        `Expected exactly one published port for \`domain\`, got ${got}`,
        "mark the port the domain should reach with `published: true`, and only that one",
      ),
    );
  }
  return out;
}
