// The `.meshdeploy.yaml` example of DESIGN.md, saved as a fixture, parses into exactly this.
import assert from "node:assert/strict";
import { test } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { fixture } from "./helpers.js";

test("the DESIGN.md example, verbatim → DesiredState", async () => {
  const file = fixture("valid/design-example.yaml");
  const at = (line: number, column: number) => ({ file, line, column });
  assert.deepEqual(await loadConfig(file), {
    file,
    version: 1,
    project: "8c3e…",
    platform: null,
    owner: "shop",
    ownerSource: { type: "config" },
    previousOwners: [],
    prune: false,
    services: [
      {
        index: 0,
        tag: "web:1.4.2",
        name: null,
        build: { context: fixture("valid/web"), dockerfile: null },
        room: "staging",
        env: [{ name: "APP_ENV", value: "dev" }],
        secrets: [{ name: "DB_PASSWORD", secretId: "sec_123" }],
        identity: "web-bot",
        token: { preset: "agentDefault" },
        manageEnvironment: true,
        mounts: {
          room: [{ path: "/srv/assets", subpath: "/assets", readOnly: true }],
          project: [{ path: "/shared", subpath: "shared", readOnly: true }],
          images: [{ image: "busybox", path: "/opt/base", subpath: null, readOnly: false }],
          emptyDirs: [{ path: "/tmp/cache", readOnly: false }],
          volumes: null,
        },
        ports: [{ num: 8000, type: "http", liveness: "/health", published: true }],
        domain: "web.example.meshagent.app",
        public: false,
        publicDeclared: true,
        protect: false,
        runAs: null,
        template: null,
        enabled: null,
        validation: null,
        locations: {
          service: at(8, 5),
          tag: at(8, 10),
          room: at(10, 11),
          build: at(9, 12),
          fields: { secrets: at(12, 14), identity: at(13, 15), token: at(14, 12), "mounts.project": at(17, 18), ports: at(20, 12), domain: at(21, 13) },
        },
      },
    ],
  });
});
