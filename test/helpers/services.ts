// Builders for desired services in tests: every field defaulted, override what the test is about.
import type { ResolvedService } from "../../src/model/wire.js";

export function service(overrides: Partial<ResolvedService> = {}): ResolvedService {
  const at = { file: "/x/.meshdeploy.yaml", line: 1, column: 1 };
  return {
    index: 0,
    tag: "acme/web:1",
    build: null,
    name: "acme-web",
    image: "acme/web:1",
    room: "dev",
    env: [],
    secrets: [],
    identity: null,
    token: null,
    manageEnvironment: true,
    mounts: { room: null, project: null, images: null, emptyDirs: null, volumes: null },
    ports: null,
    domain: null,
    public: false,
    protect: false,
    runAs: null,
    template: null,
    enabled: null,
    validation: null,
    context: null,
    defaultPorts: null,
    locations: { service: at, tag: at, room: at, build: null },
    ...overrides,
  };
}

/** Deep-freezes a value so a test fails if anything mutates it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A seeded PRNG: property tests are reproducible (the fault injector's mulberry32). */
export { seededRandom as prng } from "../../src/local/faults/prng.js";
