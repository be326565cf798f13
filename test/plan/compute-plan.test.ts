// The planner: pure, exact, never mutating; a plan applied and re-planned is empty.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { LiveRoom } from "../../src/plan/types.js";
import type { ResolvedService } from "../../src/model/wire.js";
import { deepFreeze, prng, service } from "../helpers/services.js";
import { applyToRooms } from "./fake-room.js";

const OPTIONS = { owner: "shop", prune: false };

function randomService(random: () => number, index: number): ResolvedService {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const maybe = <T>(value: T): T | null => (random() < 0.5 ? value : null);
  const name = `svc-${index}`;
  const token = maybe({ preset: pick(["agentDefault", "userDefault", "full"] as const) });
  const env = random() < 0.6 ? [{ name: "APP_ENV", value: pick(["dev", "prod", ""]) }, { name: "N", value: String(index) }] : [];
  return service({
    index,
    name,
    tag: `acme/${name}:1`,
    image: `acme/${name}:${Math.floor(random() * 3)}`,
    room: pick(["dev", "staging"]),
    env,
    manageEnvironment: env.length > 0 || token !== null || random() < 0.5,
    secrets: token ? (random() < 0.5 ? [{ name: "DB", secretId: `sec_${index}` }] : []) : [],
    token,
    identity: token && random() < 0.3 ? "bot" : null,
    mounts: {
      room: maybe([{ path: "/srv/a", subpath: "/assets", readOnly: random() < 0.5 }]),
      project: maybe([{ path: "/shared", subpath: null, readOnly: true }]),
      images: maybe([{ image: "busybox", path: "/opt/base", subpath: null, readOnly: random() < 0.5 }]),
      emptyDirs: maybe([{ path: "/tmp/cache", readOnly: false }]),
      volumes: null,
    },
    ports: maybe([{ num: 8000, type: "http" as const, liveness: maybe("/health"), published: random() < 0.5 ? true : null }]),
    public: random() < 0.3,
  });
}

describe("computePlan", () => {
  it("creates everything in empty rooms, with a reason and the fields as additions", () => {
    const plan = computePlan([service()], {}, OPTIONS);
    assert.deepEqual(plan.summary, { create: 1, update: 0, delete: 0, noop: 0 });
    const [created] = plan.services;
    assert.equal(created?.reason, "not present in room dev (never deployed, or deleted outside meshdeploy)");
    assert.deepEqual(created?.changes[0], { path: "container.image", before: null, after: "acme/web:1" });
    assert.equal((created?.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations["meshdeploy.owner"], "shop");
  });

  it("a service deleted outside meshdeploy is `missing` when its meshdeploy route is still in the room", () => {
    const web = service({ ports: [{ num: 8000, type: "http", liveness: null, published: true }], domain: "web.example.test" });
    const route = (owner: string, room = "dev") => ({ domain: room === "dev" ? "web.example.test" : "old.example.test", room_name: room, port: "8000", annotations: { "meshagent.service.id": web.name, "meshdeploy.managed-by": "meshdeploy", "meshdeploy.owner": owner } });
    const reason = (r: ReturnType<typeof route>) => computePlan([web], { dev: { services: [], routes: [r] } }, OPTIONS).services[0]?.reason;
    assert.equal(reason(route("shop")), "missing: deleted outside meshdeploy (room dev still has the route web.example.test meshdeploy made for it); apply creates it again");
    assert.equal(reason(route("other")), "not present in room dev (never deployed, or deleted outside meshdeploy)", "another owner's route is no evidence");
    assert.equal(reason(route("shop", "prod")), "not present in room dev (never deployed, or deleted outside meshdeploy)", "a route into another room is no evidence");
  });

  it("property: plan → apply → plan is empty, for random desired states (200 seeds)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = prng(seed);
      const desired = Array.from({ length: 1 + Math.floor(random() * 4) }, (_, i) => randomService(random, i));
      const first = computePlan(desired, {}, OPTIONS);
      assert.equal(first.problems.length, 0, `seed ${seed}: ${JSON.stringify(first.problems)}`);
      const again = computePlan(desired, applyToRooms(first, {}), OPTIONS);
      assert.deepEqual(
        again.services.filter((s) => s.type !== "noop").map((s) => [s.name, s.reason, s.changes]),
        [],
        `seed ${seed}`,
      );
    }
  });

  it("property: computePlan never mutates its inputs", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = prng(seed);
      const desired = deepFreeze(Array.from({ length: 3 }, (_, i) => randomService(random, i)));
      const live = deepFreeze(applyToRooms(computePlan(desired.slice(1), {}, OPTIONS), {}));
      const changed = desired.map((s) => ({ ...s, env: [{ name: "X", value: String(seed) }] }));
      assert.doesNotThrow(() => computePlan(changed, live, { owner: "shop", prune: true }));
      assert.doesNotThrow(() => computePlan(desired, live, { owner: "shop", prune: true }));
    }
  });

  it("changing one env value is exactly one update with that field", () => {
    const desired = [service({ env: [{ name: "APP_ENV", value: "dev" }] }), service({ index: 1, name: "acme-api", tag: "acme/api:1", image: "acme/api:1" })];
    const live = applyToRooms(computePlan(desired, {}, OPTIONS), {});
    const edited = [service({ env: [{ name: "APP_ENV", value: "prod" }] }), desired[1]!];
    const plan = computePlan(edited, live, OPTIONS);
    assert.deepEqual(plan.summary, { create: 0, update: 1, delete: 0, noop: 1 });
    const update = plan.services.find((s) => s.type === "update")!;
    assert.deepEqual(update.changes, [{ path: "container.environment.APP_ENV", before: "dev", after: "prod" }]);
    assert.equal(update.reason, "config changed: container.environment.APP_ENV");
    assert.equal(update.drift, false);
    assert.equal((update.body as { id: string }).id, update.id);
  });

  it("shows a changed secret as a reference, never a value", () => {
    const before = [service({ token: { preset: "agentDefault" }, secrets: [{ name: "DB", secretId: "sec_1" }] })];
    const live = applyToRooms(computePlan(before, {}, OPTIONS), {});
    const plan = computePlan([service({ token: { preset: "agentDefault" }, secrets: [{ name: "DB", secretId: "sec_2" }] })], live, OPTIONS);
    assert.deepEqual(plan.services[0]?.changes, [{ path: "container.environment.DB", before: "secret:sec_1", after: "secret:sec_2" }]);
  });

  it("reports drift per field when the live service was edited out of band", () => {
    const desired = [service({ env: [{ name: "APP_ENV", value: "dev" }] })];
    const live = applyToRooms(computePlan(desired, {}, OPTIONS), {});
    live["dev"]!.services[0]!.container!.environment = [{ name: "APP_ENV", value: "hacked" }];
    const plan = computePlan(desired, live, OPTIONS);
    const [update] = plan.services;
    assert.equal(update?.type, "update");
    assert.equal(update?.drift, true);
    assert.equal(update?.reason, "drift: edited outside meshdeploy (container.environment.APP_ENV)");
    assert.deepEqual(update?.changes, [{ path: "container.environment.APP_ENV", before: "hacked", after: "dev" }]);
  });

  it("deletes only services this owner manages, and only with prune", () => {
    const mine = applyToRooms(computePlan([service(), service({ index: 1, name: "acme-old", tag: "acme/old:1", image: "acme/old:1" })], {}, OPTIONS), {});
    const theirs = applyToRooms(computePlan([service({ name: "other-x", tag: "other/x:1", image: "other/x:1" })], {}, { owner: "someone-else", prune: false }), {});
    const live: Record<string, LiveRoom> = {
      dev: {
        routes: null,
        services: [
          ...mine["dev"]!.services,
          ...theirs["dev"]!.services,
          { id: "cli-made", version: "v1", kind: "Service", metadata: { name: "hand-made" }, container: { image: "x" } },
        ],
      },
    };
    const kept = computePlan([service()], live, OPTIONS);
    assert.deepEqual(kept.summary, { create: 0, update: 0, delete: 0, noop: 1 });
    assert.deepEqual(kept.orphans.map((o) => o.name), ["acme-old"]);
    const pruned = computePlan([service()], live, { owner: "shop", prune: true });
    assert.deepEqual(pruned.services.filter((s) => s.type === "delete").map((s) => s.name), ["acme-old"]);
  });

  it("adopts a service created outside meshdeploy when the config declares its name", () => {
    const live: Record<string, LiveRoom> = {
      dev: { routes: null, services: [{ id: "cli", version: "v1", kind: "Service", metadata: { name: "acme-web", annotations: { "meshagent.service.id": "acme-web" } }, container: { image: "acme/web:1" } }] },
    };
    const [update] = computePlan([service()], live, OPTIONS).services;
    assert.equal(update?.type, "update");
    assert.match(update?.reason ?? "", /^adopting:/);
  });

  it("adopting keeps the environment and mount kinds the config does not declare (as the CLI without flags)", () => {
    const live: Record<string, LiveRoom> = {
      dev: {
        routes: null,
        services: [
          {
            id: "cli",
            version: "v1",
            kind: "Service",
            metadata: { name: "acme-web", annotations: { "meshagent.service.id": "acme-web" } },
            container: { image: "acme/web:1", environment: [{ name: "KEEP", value: "me" }], storage: { room: [{ path: "/data", subpath: "d", read_only: false }] } },
          },
        ],
      },
    };
    const [adopt] = computePlan([service({ manageEnvironment: false })], live, OPTIONS).services;
    assert.equal(adopt?.type, "update");
    assert.deepEqual(adopt?.changes.filter((c) => c.path.startsWith("container.")), [], "nothing of the container is removed");
    const applied = applyToRooms(computePlan([service({ manageEnvironment: false })], live, OPTIONS), live);
    assert.equal(computePlan([service({ manageEnvironment: false })], applied, OPTIONS).summary.noop, 1);
    // An out-of-band edit of what the config does not manage is not drift.
    applied["dev"]!.services[0]!.container!.environment = [{ name: "KEEP", value: "edited" }];
    assert.deepEqual(computePlan([service({ manageEnvironment: false })], applied, OPTIONS).summary, { create: 0, update: 0, delete: 0, noop: 1 });
    // Declaring `env: {}` and `mounts: {room: []}` clears them, and the plan shows the removals.
    const cleared = computePlan([service({ manageEnvironment: true, mounts: { room: [], project: null, images: null, emptyDirs: null, volumes: null } })], applied, OPTIONS).services[0];
    assert.deepEqual(cleared?.changes.map((c) => [c.path, c.after]), [
      ["container.environment.KEEP", null],
      ["container.storage.room[/data]", null],
      ["metadata.annotations.meshdeploy.declared", "environment,mounts.room"],
    ]);
    assert.equal(cleared?.drift, false);
  });

  it("changing which fields are declared is never drift; dropping a declaration only updates meshdeploy's records, without a restart", () => {
    const live = applyToRooms(computePlan([service({ manageEnvironment: false })], {}, OPTIONS), {});
    live["dev"]!.services[0]!.container!.environment = [{ name: "HAND", value: "made" }]; // not managed: not drift
    // (a) Declaring the environment: a config change, not "edited outside meshdeploy".
    const declaring = computePlan([service({ env: [{ name: "HAND", value: "made" }, { name: "X", value: "1" }] })], live, OPTIONS).services[0];
    assert.equal(declaring?.drift, false);
    assert.equal(declaring?.reason, "config changed: container.environment.X");
    assert.equal(declaring?.restart, true);
    const declared = applyToRooms(computePlan([service({ env: [{ name: "A", value: "1" }] })], live, OPTIONS), live);
    // (b) Dropping `env:` keeps the variables: only the record of declared fields changes.
    const dropping = computePlan([service({ manageEnvironment: false })], declared, OPTIONS).services[0];
    assert.equal(dropping?.drift, false);
    assert.equal(dropping?.reason, "meshdeploy's records: declared fields environment → (none)");
    assert.equal(dropping?.restart, false, "the container is unchanged");
    assert.deepEqual(dropping?.changes.map((c) => c.path), ["metadata.annotations.meshdeploy.declared"]);
    const dropped = applyToRooms(computePlan([service({ manageEnvironment: false })], declared, OPTIONS), declared);
    assert.equal(computePlan([service({ manageEnvironment: false })], dropped, OPTIONS).summary.noop, 1);
    // (c) `env: {}` after no env: a config change that clears, not drift.
    const clearing = computePlan([service({ manageEnvironment: true })], dropped, OPTIONS).services[0];
    assert.equal(clearing?.drift, false);
    assert.deepEqual(clearing?.changes.map((c) => [c.path, c.after]), [
      ["container.environment.A", null],
      ["metadata.annotations.meshdeploy.declared", "environment"],
    ]);
  });

  it("refuses a service managed by another owner", () => {
    const live = applyToRooms(computePlan([service()], {}, { owner: "other", prune: false }), {});
    const plan = computePlan([service()], live, OPTIONS);
    assert.equal(plan.services.length, 0);
    assert.match(plan.problems[0]?.message ?? "", /managed by meshdeploy owner "other", not "shop"/);
  });

  it("dropping a domain drops its annotation too, and the next plan is empty", () => {
    const port = { ports: [{ num: 8000, type: "http" as const, liveness: null, published: true }] };
    const withDomain = [service({ ...port, domain: "web.example.com" })];
    const live = applyToRooms(computePlan(withDomain, { dev: { services: [], routes: [] } }, OPTIONS), { dev: { services: [], routes: [] } });
    const without = [service(port)];
    const update = computePlan(without, live, OPTIONS);
    assert.deepEqual(update.services[0]?.changes, [{ path: "metadata.annotations.meshdeploy.domain", before: "web.example.com", after: null }]);
    const after = applyToRooms(update, live);
    assert.equal(after["dev"]!.services[0]!.metadata.annotations!["meshdeploy.domain"], undefined);
    assert.deepEqual(computePlan(without, after, OPTIONS).summary, { create: 0, update: 0, delete: 0, noop: 1 });
  });

  it("plans a route for a domain and refuses a domain without exactly one published port", () => {
    const withPort = service({ domain: "web.example.com", ports: [{ num: 8000, type: "http", liveness: null, published: true }] });
    const [created] = computePlan([withPort], { dev: { services: [], routes: [] } }, OPTIONS).services;
    assert.deepEqual(created?.routes, [
      { type: "create", domain: "web.example.com", room: "dev", port: "8000", annotations: { "meshagent.service.id": "acme-web", "meshdeploy.managed-by": "meshdeploy", "meshdeploy.owner": "shop" } },
    ]);
    const plan = computePlan([service({ domain: "web.example.com" })], { dev: { services: [], routes: [] } }, OPTIONS);
    assert.match(plan.problems[0]?.message ?? "", /exactly one published service port; the service has none/);
    assert.equal(plan.problems[0]?.hint, "the config declares no `ports:` and the Dockerfile has no `EXPOSE`; declare `ports:` with one `published: true` port");
  });

  it("a route problem names where the ports came from (EXPOSE) and is located at `domain:` (audit defect 14)", () => {
    const domainAt = { file: "/x/.meshdeploy.yaml", line: 7, column: 5 };
    const exposed = service({
      domain: "web.example.com",
      defaultPorts: [
        { num: 8080, type: "http", liveness: "/", published: true },
        { num: 9090, type: "http", liveness: "/", published: true },
      ],
      locations: { service: { file: "/x/.meshdeploy.yaml", line: 4, column: 5 }, tag: { file: "/x/.meshdeploy.yaml", line: 4, column: 5 }, room: { file: "/x/.meshdeploy.yaml", line: 4, column: 5 }, build: null, fields: { domain: domainAt } },
    });
    const plan = computePlan([exposed], { dev: { services: [], routes: [] } }, OPTIONS);
    assert.match(plan.problems[0]?.message ?? "", /the service has multiple published ports/);
    assert.equal(plan.problems[0]?.hint, "the config declares no `ports:`; the ports come from the Dockerfile's `EXPOSE 8080 9090`; declare `ports:` with one `published: true` port");
    assert.deepEqual(plan.problems[0]?.location, domainAt);
  });

  it("a domain that routes to another room is a plan problem: nothing is written", () => {
    const withPort = service({ domain: "web.example.com", ports: [{ num: 8000, type: "http", liveness: null, published: true }] });
    const taken = { domain: "web.example.com", room_name: "prod", port: "8000", annotations: {} };
    const plan = computePlan([withPort], { dev: { services: [], routes: [taken] } }, OPTIONS);
    assert.deepEqual(plan.services, []);
    assert.deepEqual(plan.problems.map((p) => [p.name, p.message, p.hint]), [
      ["acme-web", "domain web.example.com already routes to room prod; refusing to change it to room dev", "pick another domain, or remove the route from the other room first"],
    ]);
    const sameRoom = computePlan([withPort], { dev: { services: [], routes: [{ ...taken, room_name: "dev", port: "9000" }] } }, OPTIONS);
    assert.deepEqual(sameRoom.services[0]?.routes.map((r) => r.type), ["update"], "a route in the same room is taken over, as the CLI does");
  });
});

describe("computePlan: what the server does that the config does not say", () => {
  const P050 = { version: "0.50.1", source: "server" as const, generation: "0.50.1" as const };
  const created = (s: ResolvedService, platform?: typeof P050) => computePlan([s], {}, { ...OPTIONS, ...(platform ? { platform } : {}) }).services[0]!;

  it("a create without `template:` on 0.41.4+ notes the server's default, agent; with one, or on 0.39, no note", () => {
    const note = created(service(), P050).notes;
    assert.equal(note?.length, 1);
    assert.match(note![0]!, /^no `template:` declared: the server applies its default, `agent`, which mounts room storage at \/data/);
    assert.equal(created(service({ template: "none" }), P050).notes, undefined);
    assert.equal(created(service({ template: "agent" }), P050).notes, undefined);
    assert.equal(created(service()).notes, undefined);
    assert.equal(created(service(), { ...P050, version: "0.41.3", generation: "0.39.9" as never }).notes, undefined);
  });
});
