// `domain:` routes to exactly one published port (the CLI's `_resolve_domain_route_target`). Only
// checkable here when `ports:` are declared; otherwise the live service's ports decide, later.
// A domain is one route: two services declaring it would move it back and forth on every apply.
// Pure.
import type { Diagnostic } from "../../diagnostic.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export function domainRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const first = new Map<string, number>();
  for (const service of ctx.services) {
    if (service.domain === null) continue;
    const domain = service.domain.toLowerCase();
    const earlier = first.get(domain);
    if (earlier === undefined) first.set(domain, ctx.locate(servicePath(service, "domain")).line);
    else {
      out.push(
        diagnostic(
          "duplicate-domain",
          ctx.locate(servicePath(service, "domain")),
          `duplicate domain \`${service.domain}\`: the service at line ${earlier} declares it too`,
          "a domain routes to one service port; give each service its own domain",
        ),
      );
    }
    if (service.ports === null) continue;
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
