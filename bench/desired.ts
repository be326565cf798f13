// The desired model the benchmarks plan (support module, not a benchmark): one declared service
// with every field at its config default, and the state around a list of them.
import type { DesiredService, DesiredState } from "../src/model/desired.js";

const AT = { file: "bench.yaml", line: 1, column: 1 };

/** A declared service with one liveness port; `overrides` name what a benchmark varies. */
export function benchService(overrides: Pick<DesiredService, "index" | "tag" | "room"> & Partial<DesiredService>): DesiredService {
  return {
    name: null,
    build: null,
    env: [],
    secrets: [],
    identity: null,
    token: null,
    manageEnvironment: true,
    mounts: { room: null, project: null, images: null, emptyDirs: null, volumes: null },
    ports: [{ num: 8000, type: "http", liveness: "/health", published: true }],
    domain: null,
    public: false,
    protect: false,
    runAs: null,
    template: null,
    enabled: null,
    validation: null,
    locations: { service: AT, tag: AT, room: AT, build: null },
    ...overrides,
  };
}

/** The state of a config owned by `bench` that declares `services`. */
export function benchState(services: DesiredService[]): DesiredState {
  return { file: "bench.yaml", version: 1, project: null, platform: null, owner: "bench", ownerSource: { type: "config" }, previousOwners: [], prune: false, services };
}
