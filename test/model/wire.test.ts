// The wire mapping pinned to the request bodies in shared/meshagent/platform-api.md §2.2 and the
// CLI's rules (cli@0.39.9 image.py), not to our own server.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildServiceSpec, desiredEnvironment } from "../../src/model/wire.js";
import { dumpServiceSpec } from "../../src/model/spec-model.js";
import type { LiveService } from "../../src/model/service-spec.js";
import { deepFreeze, service } from "../helpers/services.js";
import { POST_BODY_2_2 } from "../fixtures/platform-api.js";


describe("wire mapping", () => {
  it("produces the POST body of platform-api.md §2.2 (cli@0.39.9 deploy with mounts, env, secret and token)", () => {
    const desired = service({
      tag: "repo/web:1",
      name: "repo-web",
      image: "repo/web:1",
      room: "r",
      env: [{ name: "FOO", value: "bar" }],
      secrets: [{ name: "APP_SECRET", secretId: "secret-1" }],
      token: { preset: "agentDefault" },
      mounts: {
        room: [{ path: "/srv/assets", subpath: "/assets", readOnly: true }],
        project: [{ path: "/shared", subpath: "shared", readOnly: true }],
        images: [{ image: "busybox", path: "/opt/base", subpath: null, readOnly: false }],
        emptyDirs: null,
        volumes: null,
      },
    });
    const expected = POST_BODY_2_2;
    const body = dumpServiceSpec(buildServiceSpec(desired, null, {}), { excludeNone: true, excludeId: true });
    assert.deepEqual(body, expected);
    // Keys come in pydantic's declaration order (ContainerSpec declares `private` last; the doc's
    // hand-written example lists it early), so the bytes match what model_dump writes.
    assert.deepEqual(Object.keys(body), ["version", "kind", "metadata", "ports", "container"]);
    assert.deepEqual(Object.keys(body["container"] as object), ["image", "environment", "storage", "private"]);
  });

  it("adds meshdeploy's annotations after the CLI's", () => {
    const spec = buildServiceSpec(service(), null, { "meshdeploy.owner": "shop" });
    assert.deepEqual(spec.metadata.annotations, {
      "meshagent.request.validation.method": "cookie",
      "meshagent.service.id": "acme-web",
      "meshdeploy.owner": "shop",
    });
  });

  it("uses --identity for secrets and tokens", () => {
    const env = desiredEnvironment(service({ identity: "bot", secrets: [{ name: "S", secretId: "sec" }], token: { preset: "full" } }));
    assert.deepEqual(env?.[0], { name: "S", secret: { identity: "bot", id: "sec" } });
    assert.equal(env?.[1]?.token?.identity, "bot");
    assert.deepEqual(env?.[1]?.token?.api?.["admin"], { config: true });
  });

  it("returns no environment when nothing is declared (the key is then left out of a POST)", () => {
    assert.equal(desiredEnvironment(service()), null);
    const body = dumpServiceSpec(buildServiceSpec(service(), null, {}), { excludeNone: true, excludeId: true });
    assert.deepEqual(body["container"], { image: "acme/web:1", private: true });
  });

  it("writes declared ports with the CLI's liveness default and private validation annotation", () => {
    const spec = buildServiceSpec(service({ ports: [{ num: 8000, type: "http", liveness: null, published: true }] }), null, {});
    assert.deepEqual(spec.ports, [
      { num: 8000, type: "http", endpoints: [], liveness: "/", published: true, public: null, annotations: { "meshagent.request.validation.method": "cookie" } },
    ]);
  });

  it("public services: public true on published ports and no cookie validation (cli@HEAD body shape in §2.2)", () => {
    const spec = buildServiceSpec(service({ public: true, ports: [{ num: 8000, type: "http", liveness: null, published: true }] }), null, {});
    const body = dumpServiceSpec(spec, { excludeNone: true, excludeId: true });
    assert.deepEqual(body["ports"], [{ num: 8000, type: "http", endpoints: [], liveness: "/", published: true, public: true }]);
    assert.deepEqual((body["metadata"] as { annotations: object }).annotations, { "meshagent.service.id": "acme-web" });
  });

  it("keeps undeclared live ports exactly: no liveness injected, public and validation untouched (defect 9)", () => {
    const livePort = { num: 9999, type: "http" as const, endpoints: [], published: true, public: true };
    const live: LiveService = deepFreeze({ id: "x", version: "v1", kind: "Service", metadata: { name: "acme-web" }, ports: [livePort], container: { image: "acme/web:0" } });
    const spec = buildServiceSpec(service(), live, {});
    assert.deepEqual(spec.ports, [livePort]);
  });

  it("a declared `public:` still sets public and validation on kept live published ports", () => {
    const live: LiveService = deepFreeze({ id: "x", version: "v1", kind: "Service", metadata: { name: "acme-web" }, ports: [{ num: 9999, type: "http", endpoints: [], published: true, public: true }], container: { image: "acme/web:0" } });
    const spec = buildServiceSpec(service({ public: false, publicDeclared: true }), live, {});
    assert.deepEqual(spec.ports, [{ num: 9999, type: "http", endpoints: [], published: true, public: null, annotations: { "meshagent.request.validation.method": "cookie" } }]);
  });

  it("keeps what meshdeploy does not manage and replaces what it does (PUT body: full dump with id)", () => {
    const live: LiveService = deepFreeze({
      id: "11111111-2222-3333-4444-555555555555",
      version: "v1",
      kind: "Service",
      metadata: { name: "acme-web", description: "kept", annotations: { team: "a", "meshagent.request.validation.method": "cookie" } },
      agents: [{ name: "helper" }],
      ports: [{ num: 9000, type: "http", endpoints: [], liveness: "/ready", published: false }],
      container: {
        image: "acme/web:0",
        command: "python -m server",
        environment: [{ name: "OLD", value: "1" }],
        storage: { room: [{ path: "/old", read_only: false }], files: [{ path: "/etc/x", text: "x", read_only: true }] },
        private: true,
      },
    });
    const spec = buildServiceSpec(service({ env: [{ name: "NEW", value: "2" }] }), live, {});
    const body = dumpServiceSpec({ ...spec, id: live.id }, { excludeNone: false });
    const container = body["container"] as Record<string, unknown>;
    assert.equal(body["id"], live.id);
    assert.equal((body["metadata"] as Record<string, unknown>)["description"], "kept");
    assert.deepEqual(body["agents"], [{ name: "helper", description: null, annotations: null, channels: null, email: null, heartbeat: null }]);
    assert.equal(container["image"], "acme/web:1");
    assert.equal(container["command"], "python -m server");
    assert.deepEqual(container["environment"], [{ name: "NEW", value: "2", token: null, secret: null }]);
    const storage = container["storage"] as Record<string, unknown>;
    assert.deepEqual(storage["room"], [{ path: "/old", subpath: null, read_only: false }], "an undeclared mount kind is kept, as the CLI keeps it");
    assert.deepEqual(storage["files"], [{ path: "/etc/x", text: "x", read_only: true }]);
    assert.deepEqual((body["ports"] as unknown[])[0], { num: 9000, type: "http", endpoints: [], liveness: "/ready", published: false, public: null, annotations: null });
    assert.equal(body["external"], null);
    assert.deepEqual((body["metadata"] as { annotations: object }).annotations, {
      team: "a",
      "meshagent.request.validation.method": "cookie",
      "meshagent.service.id": "acme-web",
    });
  });

  it("environment and mount kinds: kept when undeclared (as the CLI without flags), replaced when declared, cleared when declared empty", () => {
    const live: LiveService = deepFreeze({
      id: "11111111-2222-3333-4444-555555555555",
      version: "v1",
      kind: "Service",
      metadata: { name: "acme-web" },
      container: {
        image: "acme/web:0",
        environment: [{ name: "KEEP", value: "me" }],
        storage: { room: [{ path: "/data", subpath: "d", read_only: false }], project: [{ path: "/p", read_only: true }] },
      },
    });
    const undeclared = buildServiceSpec(service({ manageEnvironment: false }), live, {});
    assert.deepEqual(undeclared.container?.environment, [{ name: "KEEP", value: "me" }]);
    assert.deepEqual(undeclared.container?.storage, live.container?.storage);
    const declaredEmpty = buildServiceSpec(service({ manageEnvironment: true, mounts: { room: [], project: null, images: null, emptyDirs: null, volumes: null } }), live, {});
    assert.equal(declaredEmpty.container?.environment, null);
    assert.equal(declaredEmpty.container?.storage?.room, null);
    assert.deepEqual(declaredEmpty.container?.storage?.project, [{ path: "/p", read_only: true }], "only the declared kind is replaced");
    const replaced = buildServiceSpec(service({ env: [{ name: "NEW", value: "1" }], mounts: { room: [{ path: "/r", subpath: null, readOnly: true }], project: null, images: null, emptyDirs: null, volumes: null } }), live, {});
    assert.deepEqual(replaced.container?.environment, [{ name: "NEW", value: "1" }]);
    assert.deepEqual(replaced.container?.storage?.room, [{ path: "/r", subpath: null, read_only: true }]);
    assert.equal(buildServiceSpec(service({ manageEnvironment: false }), null, {}).container?.environment, null, "a new service without env has none");
  });

  it("refuses to turn an external service into a container", () => {
    const live = { id: "x", version: "v1", kind: "Service", metadata: { name: "acme-web" }, external: { url: "https://x" } } as LiveService;
    assert.throws(() => buildServiceSpec(service(), live, {}), /is external and cannot be replaced/);
  });
});
