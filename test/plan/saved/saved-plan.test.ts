// Saved plans as data: the desired-state hash, fingerprints of touched services, the file format
// and every reason a saved plan is refused. Pure, no I/O.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DesiredState } from "../../../src/model/desired.js";
import { parseConfig } from "../../../src/config/load.js";
import { MeshdeployError } from "../../../src/errors.js";
import { computePlan } from "../../../src/plan/compute-plan.js";
import { desiredHashes } from "../../../src/plan/saved/desired-hash.js";
import { ABSENT, serviceFingerprint } from "../../../src/plan/saved/fingerprint.js";
import { createSavedPlan, looksLikeSavedPlan, parseSavedPlan, rebasePlan } from "../../../src/plan/saved/saved-plan.js";
import { staleReasons, type CurrentState } from "../../../src/plan/saved/stale-plan.js";
import type { LiveRoom } from "../../../src/plan/types.js";
import { deepFreeze, service } from "../../helpers/services.js";
import { applyToRooms } from "../fake-room.js";

function desired(text: string, file = "/work/shop/.meshdeploy.yaml", env: Record<string, string> = {}): DesiredState {
  const result = parseConfig(text, file, { env });
  assert.ok(result.ok, JSON.stringify(result));
  return result.desired;
}

const CONFIG = "version: 1\nroom: dev\nowner: shop\nservices:\n  - tag: acme/web:1\n    env: {A: '${A:-1}'}\n  - tag: acme/api:1\n";

describe("desiredHashes", () => {
  it("ignores comments, formatting and the checkout's location; sees every change of meaning", () => {
    const base = desiredHashes(desired(CONFIG));
    const reformatted = "# a comment\nversion: 1\nowner: shop\nroom: dev   # moved\nservices:\n\n  - tag: acme/web:1\n    env:\n      A: '${A:-1}'\n  - tag: acme/api:1\n";
    assert.equal(desiredHashes(desired(reformatted)).hash, base.hash);
    assert.equal(desiredHashes(desired(CONFIG, "/elsewhere/shop/.meshdeploy.yaml")).hash, base.hash);
    const interpolated = desiredHashes(desired(CONFIG, undefined, { A: "2" }));
    assert.notEqual(interpolated.hash, base.hash);
    assert.deepEqual(interpolated.services.map((s, i) => s.hash === base.services[i]?.hash), [false, true]);
    assert.notEqual(desiredHashes(desired(CONFIG.replace("owner: shop", "owner: other"))).settings, base.settings);
  });

  it("build contexts count relative to the config's directory", () => {
    const withBuild = (file: string) => desired("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    build: ./app\n", file);
    assert.equal(desiredHashes(withBuild("/a/shop/.meshdeploy.yaml")).hash, desiredHashes(withBuild("/b/c/shop/.meshdeploy.yaml")).hash);
    assert.notEqual(desiredHashes(withBuild("/a/shop/.meshdeploy.yaml")).hash, desiredHashes(desired("version: 1\nroom: dev\nservices:\n  - tag: web:1\n    build: ./other\n")).hash);
  });
});

describe("fingerprints", () => {
  it("absent for nothing, stable for the same spec, different for any field or the id", () => {
    assert.equal(serviceFingerprint(null, [null]), ABSENT);
    const live = applyToRooms(computePlan([service()], {}, { owner: "shop", prune: false }), {});
    const spec = live["dev"]!.services[0]!;
    const fp = serviceFingerprint(spec, []);
    assert.match(fp, /^sha256:[0-9a-f]{64}$/);
    assert.equal(serviceFingerprint(structuredClone(spec), []), fp);
    assert.notEqual(serviceFingerprint({ ...spec, id: "other" }, []), fp);
    assert.notEqual(serviceFingerprint({ ...spec, container: { ...spec.container!, image: "evil:1" } }, []), fp);
  });
});

describe("saved plan", () => {
  const state = desired(CONFIG);
  const live0: Record<string, LiveRoom> = { dev: { services: [], routes: null } };
  const first = computePlan([service({ name: "acme-web", tag: "acme/web:1", index: 0 })], live0, { owner: "shop", prune: false });
  const liveAfter = applyToRooms(first, live0);
  const plan = computePlan([service({ name: "acme-web", tag: "acme/web:1", index: 0, env: [{ name: "A", value: "2" }] })], liveAfter, { owner: "shop", prune: false });
  const saved = deepFreeze(createSavedPlan({ plan, desired: state, configPath: ".meshdeploy.yaml", target: { apiUrl: "https://api.example", projectId: "p1" }, live: liveAfter, now: new Date(0), version: "0.1.0" }));
  const current = (over: Partial<CurrentState> = {}): CurrentState => ({ desired: state, target: { apiUrl: "https://api.example", projectId: "p1" }, live: liveAfter, services: [], ...over });

  it("has the versioned envelope, the exact actions and one fingerprint per touched service", () => {
    assert.equal(saved.formatVersion, 1);
    assert.equal(saved.kind, "meshdeploy-plan");
    assert.equal(saved.createdAt, "1970-01-01T00:00:00.000Z");
    assert.deepEqual(saved.plan, plan);
    assert.deepEqual(saved.fingerprints.map((f) => [f.room, f.name, f.action]), [["dev", "acme-web", "update"]]);
    assert.equal(saved.config.hash, desiredHashes(state).hash);
  });

  it("round-trips through JSON and is recognised by its first bytes", () => {
    const text = JSON.stringify(saved, null, 2);
    assert.ok(looksLikeSavedPlan(text.slice(0, 512)));
    assert.ok(!looksLikeSavedPlan("version: 1\nservices: []\n"));
    assert.deepEqual(parseSavedPlan(text, "plan.json"), saved);
  });

  it("refuses files that are not plans, with what is wrong", () => {
    const refused = (text: string, pattern: RegExp) =>
      assert.throws(() => parseSavedPlan(text, "p.json"), (e: unknown) => e instanceof MeshdeployError && e.code === "E_PLAN_FILE" && pattern.test(e.message));
    refused("{nope", /^p\.json is not JSON/);
    refused('{"formatVersion": 1}', /is not a meshdeploy plan/);
    refused(JSON.stringify({ ...saved, formatVersion: 2 }), /has formatVersion 2; this meshdeploy reads 1/);
    refused(JSON.stringify({ ...saved, fingerprints: undefined }), /is incomplete/);
  });

  it("is current when nothing moved", () => {
    assert.deepEqual(staleReasons(saved, current()), []);
  });

  it("names a different target", () => {
    assert.deepEqual(staleReasons(saved, current({ target: { apiUrl: "local", projectId: "p1" } })), [
      "target: the plan was made for https://api.example (project p1), this apply targets the local room (project p1)",
    ]);
  });

  it("names the services whose config changed, was added or removed", () => {
    const edited = desired(CONFIG, undefined, { A: "3" });
    assert.deepEqual(staleReasons(saved, current({ desired: edited })), ["config: service acme/web:1 (room dev) changed"]);
    const more = desired(CONFIG.replace("  - tag: acme/api:1\n", "  - tag: acme/db:1\n"));
    assert.deepEqual(staleReasons(saved, current({ desired: more })), ["config: service acme/db:1 (room dev) was added", "config: service acme/api:1 (room dev) was removed"]);
    assert.deepEqual(staleReasons(saved, current({ desired: desired(CONFIG.replace("owner: shop", "owner: x")) })), ["config: the top-level settings changed (project, owner or prune)"]);
  });

  it("names a touched live service that was edited, deleted or created out of band", () => {
    const web = liveAfter["dev"]!.services[0]!;
    const edited = { dev: { services: [{ ...web, container: { ...web.container!, image: "evil:1" } }], routes: null } };
    assert.deepEqual(staleReasons(saved, current({ live: edited })), ["live: acme-web in room dev (update): it was changed since the plan was made (its live spec or route differs)"]);
    assert.deepEqual(staleReasons(saved, current({ live: live0 })), ["live: acme-web in room dev (update): it was deleted since the plan was made"]);
    const creating = createSavedPlan({ plan: first, desired: state, configPath: "x", target: saved.target, live: live0, now: new Date(0), version: "0" });
    assert.equal(creating.fingerprints[0]?.fingerprint, ABSENT);
    assert.deepEqual(staleReasons(creating, current({ live: liveAfter })), ["live: acme-web in room dev (create): the plan creates it, but it exists now"]);
  });

  it("ignores live changes to services the plan does not touch", () => {
    const other = { id: "x", version: "v1" as const, kind: "Service" as const, metadata: { name: "hand-made" }, container: { image: "x:1" } };
    assert.deepEqual(staleReasons(saved, current({ live: { dev: { services: [...liveAfter["dev"]!.services, other], routes: null } } })), []);
  });

  it("stores build contexts relative to the config and names a context that changed", () => {
    const building = { ...plan, services: plan.services.map((s) => ({ ...s, build: { context: "/work/shop/app", dockerfile: null, hash: "h1" } })) };
    const withBuild = createSavedPlan({ plan: building, desired: state, configPath: "x", target: saved.target, live: liveAfter, now: new Date(0), version: "0" });
    assert.equal(withBuild.plan.services[0]?.build?.context, "app");
    assert.equal(rebasePlan(withBuild, "/ci/checkout").services[0]?.build?.context, "/ci/checkout/app");
    const now = (hash: string) => [service({ name: "acme-web", context: { hash, changedFiles: null, since: null } })];
    assert.deepEqual(staleReasons(withBuild, current({ services: now("h1") })), []);
    assert.deepEqual(staleReasons(withBuild, current({ services: now("h2") })), ["build: the context of acme-web (room dev) changed since the plan was made"]);
  });
});
