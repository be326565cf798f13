// Targeting's pure filter: which declared services --service/--room/--exclude keep, what they
// cannot match, and the offline superset used before names are resolved.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { describeTargets, isTargeting, mayBeTargeted, namesOf, sameTargets, selectTargets, type Targets } from "../../src/model/targets.js";
import { deepFreeze, service } from "../helpers/services.js";

const none: Targets = { services: [], rooms: [], exclude: [] };
const t = (over: Partial<Targets>): Targets => ({ ...none, ...over });

// acme-web and acme-api in dev, acme-api and a `name:` service in staging.
const SERVICES = deepFreeze([
  service({ index: 0, tag: "web:1", image: "registry.meshagent.com/acme/web:1", name: "acme-web", room: "dev" }),
  service({ index: 1, tag: "acme/api:1", image: "acme/api:1", name: "acme-api", room: "dev" }),
  service({ index: 2, tag: "acme/api:1", image: "acme/api:1", name: "acme-api", room: "staging" }),
  service({ index: 3, tag: "ghcr.io/acme/agent:2", image: "ghcr.io/acme/agent:2", name: "helper", nameDeclared: true, room: "staging" }),
]);
const keys = (list: readonly { name: string; room: string }[]): string[] => list.map((s) => `${s.name}@${s.room}`);

describe("model/targets", () => {
  it("a service answers to its name and its tag's repository, as written and as normalised", () => {
    assert.deepEqual(namesOf(SERVICES[0]!), ["acme-web", "web", "acme/web"]);
    assert.deepEqual(namesOf(SERVICES[1]!), ["acme-api", "acme/api"]);
    assert.deepEqual(namesOf(SERVICES[3]!), ["helper", "acme/agent"]);
  });

  it("--service keeps the services it names, by name or by repository, in every room", () => {
    assert.deepEqual(keys(selectTargets(SERVICES, t({ services: ["acme-api"] })).selected), ["acme-api@dev", "acme-api@staging"]);
    assert.deepEqual(keys(selectTargets(SERVICES, t({ services: ["web"] })).selected), ["acme-web@dev"]);
    assert.deepEqual(keys(selectTargets(SERVICES, t({ services: ["acme/agent", "acme-web"] })).selected), ["acme-web@dev", "helper@staging"]);
  });

  it("--room keeps a room's services; with --service a service must match both", () => {
    assert.deepEqual(keys(selectTargets(SERVICES, t({ rooms: ["staging"] })).selected), ["acme-api@staging", "helper@staging"]);
    assert.deepEqual(keys(selectTargets(SERVICES, t({ services: ["acme-api"], rooms: ["staging"] })).selected), ["acme-api@staging"]);
  });

  it("--exclude drops the services it names, after --service and --room", () => {
    assert.deepEqual(keys(selectTargets(SERVICES, t({ exclude: ["acme-api"] })).selected), ["acme-web@dev", "helper@staging"]);
    assert.deepEqual(keys(selectTargets(SERVICES, t({ rooms: ["staging"], exclude: ["helper"] })).selected), ["acme-api@staging"]);
  });

  it("returns every name that matches nothing, once, and never a room for --exclude", () => {
    const { unmatched } = selectTargets(SERVICES, t({ services: ["acme-apii", "acme-apii", "acme-web"], rooms: ["prod"], exclude: ["staging"] }));
    assert.deepEqual(unmatched, [
      { flag: "service", name: "acme-apii" },
      { flag: "room", name: "prod" },
      { flag: "exclude", name: "staging" },
    ]);
  });

  it("targets that each match but keep nothing together select nothing (the caller refuses it)", () => {
    const chosen = selectTargets(SERVICES, t({ services: ["acme-web"], rooms: ["staging"] }));
    assert.deepEqual([chosen.selected.length, chosen.unmatched.length], [0, 0]);
  });

  it("compares targets as sets and describes them as flags", () => {
    assert.equal(isTargeting(none), false);
    assert.equal(isTargeting(undefined), false);
    assert.equal(isTargeting(t({ exclude: ["x"] })), true);
    assert.equal(sameTargets(t({ services: ["b", "a", "a"] }), t({ services: ["a", "b"] })), true);
    assert.equal(sameTargets(t({ services: ["a"] }), t({ rooms: ["a"] })), false);
    assert.equal(sameTargets(undefined, none), true);
    assert.equal(sameTargets(undefined, t({ rooms: ["dev"] })), false);
    assert.equal(describeTargets(t({ services: ["api"], rooms: ["staging"], exclude: ["worker"] })), "--service api --room staging --exclude worker");
  });

  it("before names are resolved, keeps every service a name may mean (a superset of selectTargets)", () => {
    const web = { tag: "web:1", name: null, room: "dev" };
    assert.equal(mayBeTargeted(web, t({ services: ["web"] })), true);
    assert.equal(mayBeTargeted(web, t({ services: ["acme-web"] })), true); // under the project key
    assert.equal(mayBeTargeted(web, t({ services: ["acme/web"] })), true);
    assert.equal(mayBeTargeted(web, t({ services: ["api"] })), false);
    assert.equal(mayBeTargeted(web, t({ rooms: ["staging"] })), false);
    assert.equal(mayBeTargeted(web, t({ exclude: ["web"] })), false);
    assert.equal(mayBeTargeted(web, t({ exclude: ["acme-web"] })), true); // not certain offline: kept
    assert.equal(mayBeTargeted({ tag: "ghcr.io/acme/agent:2", name: "helper", room: "staging" }, t({ services: ["acme-agent"] })), false);
    assert.equal(mayBeTargeted({ tag: "ghcr.io/acme/agent:2", name: "helper", room: "staging" }, t({ services: ["helper"] })), true);
    // Whatever selectTargets keeps, mayBeTargeted keeps.
    for (const targets of [t({ services: ["acme-api"] }), t({ services: ["web"] }), t({ rooms: ["staging"], exclude: ["helper"] }), t({ services: ["acme/agent"] })]) {
      for (const s of selectTargets(SERVICES, targets).selected) assert.equal(mayBeTargeted(s, targets), true, `${s.name} ${describeTargets(targets)}`);
    }
  });
});
