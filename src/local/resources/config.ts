// GET /config: the MeshagentDeploymentConfig a client reads to find the API host and the image
// registry. No `version`: 0.39 servers did not send one, and clients use its absence to pick
// the 0.39 wire shapes.
import type { LocalRouter, ResourceContext } from "../context.js";

export function registerConfig(router: LocalRouter, context: ResourceContext): void {
  router.add("GET", "/config", () => ({
    domains: { api: context.apiHost, registry: context.registry },
  }));
}
