// GET /config: the MeshagentDeploymentConfig a client reads to find the API host and the image
// registry. At 0.39.9 there is no `version`: 0.39 servers did not send one, and clients use its
// absence to pick the 0.39 wire shapes. At 0.50.1 it says `"version": "0.50.1"` (sent from ≈0.41.7;
// api@6d950a5 client.py `MeshagentDeploymentConfig.version`), the key clients detect the generation by.
import type { LocalRouter, ResourceContext } from "../context.js";

export function registerConfig(router: LocalRouter, context: ResourceContext): void {
  const version = context.platform.configVersion;
  router.add("GET", "/config", () => ({
    ...(version === null ? {} : { version }),
    domains: { api: context.apiHost, registry: context.registry },
  }));
}
