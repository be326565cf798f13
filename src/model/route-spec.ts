// RouteSpec (MeshAgent ≥0.40.3, api@6d950a5 specs/service.py): the body meshdeploy writes for a
// domain route on servers with the `routeSpec` feature, and the rule for which live routes it may
// rewrite. meshdeploy manages exactly one shape, the one the CLI's `_upsert_domain_route` writes:
// a room backend with one path "/" (prefix) to one port. Anything else was made elsewhere, and
// rewriting it would drop paths, so it is never written. Pure.

/** One path of a live RouteSpec, as much as meshdeploy needs to recognise and describe it. */
export interface RoutePath {
  path: string;
  pathType: string;
  /** targetPort as the server holds it ("8000", 3001, "assistant:8001"); null for room content. */
  targetPort: string | number | null;
  /** The path serves room content (targetContent) instead of a port. */
  content: boolean;
  stripPrefix: boolean;
}

/** What a RouteSpec answer adds to meshdeploy's flat Route (absent for legacy answers). */
export interface RouteShape {
  paths: RoutePath[];
  /** The agent name when the backend is an agent instead of a room. */
  agent: string | null;
}

export function buildRouteSpec(domain: string, room: string, port: string, annotations: Record<string, string>): Record<string, unknown> {
  // Key order and `agent: null` exactly as the 0.50.1 model dumps it (vectors routes.create).
  return {
    version: "v1",
    kind: "Route",
    metadata: { name: domain, annotations },
    domain,
    backend: { room: { name: room }, agent: null },
    paths: [{ path: "/", pathType: "prefix", targetPort: port }],
  };
}

/** null when meshdeploy may rewrite the route; else what it has, e.g. "/ → port 8000, /docs → room content". */
export function unmanagedRouteShape(shape: RouteShape | undefined): string | null {
  if (shape === undefined) return null; // legacy answer: one port at "/" by construction
  const [only, ...rest] = shape.paths;
  const single = shape.agent === null && only !== undefined && rest.length === 0 && only.path === "/" && only.pathType === "prefix" && !only.content && !only.stripPrefix && only.targetPort !== null;
  if (single) return null;
  const paths = shape.paths.map((p) => `${p.path} → ${p.content ? "room content" : `port ${String(p.targetPort)}`}${p.pathType !== "prefix" ? ` (${p.pathType})` : ""}${p.stripPrefix ? " (strip prefix)" : ""}`);
  const backend = shape.agent !== null ? `agent ${shape.agent} backend` : null;
  return [backend, paths.length > 0 ? `paths ${paths.join(", ")}` : "no paths"].filter((x) => x !== null).join(", ");
}
