// Prune sees every room the owner has services in (issue 12, item 3; new-user audit defect 3),
// against the real local room: a service moved from room A to room B with prune is deleted from A
// in the same plan; without prune it is listed as an orphan; other owners' and hand-made services
// in rooms the config never named stay untouched; a server without the room listing is said so.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../src/config/load.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { readOwnedElsewhere } from "../../src/read/read-elsewhere.js";
import { MANAGED_BY, OWNER } from "../../src/model/annotations.js";
import type { Target } from "../../src/platform/target.js";
import { renderPlan } from "../../src/output/render-plan.js";
import { plain } from "../../src/output/style.js";
import { type Harness, serviceBody, startHarness } from "../helpers/local-room.js";

const IN_A = "version: 1\nroom: rooma\nowner: mv\nprune: true\nservices:\n  - tag: mv/svc:1\n  - tag: mv/stay:1\n";
const IN_B = IN_A.replace("  - tag: mv/svc:1\n", "  - tag: mv/svc:1\n    room: roomb\n");

describe("prune across the project's rooms", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ rooms: ["rooma", "roomb", "other"] });
    const t = h.target();
    await t.createService("other", serviceBody("theirs", { metadata: { name: "theirs", annotations: { [MANAGED_BY]: "meshdeploy", [OWNER]: "someone-else" } } }));
    await t.createService("other", serviceBody("by-hand"));
  });
  after(() => h.close());
  const names = async (room: string): Promise<string[]> => (await h.target().listServices(room)).map((s) => s.metadata.name).sort();

  it("a service moved from room A to room B with prune: true is deleted from A in the same plan", async () => {
    const first = await planDesired(h.target(), await loadConfig(await h.writeConfig(IN_A)));
    await applyRun(h.target(), first, { concurrency: 2, wait: false });
    assert.deepEqual(await names("rooma"), ["mv-stay", "mv-svc"]);

    // Moving svc to roomb while stay remains in rooma: the delete is in a room the config still names.
    const moved = await planDesired(h.target(), await loadConfig(await h.writeConfig(IN_B)));
    assert.deepEqual(moved.plan.services.filter((s) => s.type !== "noop").map((s) => `${s.type} ${s.room}/${s.name}`), ["create roomb/mv-svc", "delete rooma/mv-svc"]);
    await applyRun(h.target(), moved, { concurrency: 2, wait: false });
    assert.deepEqual([await names("rooma"), await names("roomb")], [["mv-stay"], ["mv-svc"]]);

    // Now everything leaves rooma: the config no longer names it at all, and prune still finds it.
    const gone = await planDesired(h.target(), await loadConfig(await h.writeConfig(IN_B.replace("  - tag: mv/stay:1\n", "  - tag: mv/stay:1\n    room: roomb\n"))));
    const deletes = gone.plan.services.filter((s) => s.type === "delete");
    assert.deepEqual(deletes.map((s) => `${s.room}/${s.name}`), ["rooma/mv-stay"]);
    assert.match(deletes[0]!.reason, /the config no longer names room rooma/);
    assert.deepEqual(Object.keys(gone.live).sort(), ["rooma", "roomb"], "rooms without a service of this owner are not kept");
    await applyRun(h.target(), gone, { concurrency: 2, wait: false });
    assert.deepEqual([await names("rooma"), await names("roomb"), await names("other")], [[], ["mv-stay", "mv-svc"], ["by-hand", "theirs"]]);
  });

  it("without prune, owned services in rooms the config no longer names are orphans", async () => {
    const config = "version: 1\nroom: rooma\nowner: mv\nservices:\n  - tag: mv/new:1\n";
    const run = await planDesired(h.target(), await loadConfig(await h.writeConfig(config)));
    assert.deepEqual(run.plan.orphans.map((o) => `${o.room}/${o.name}`).sort(), ["roomb/mv-stay", "roomb/mv-svc"]);
    assert.equal(run.plan.summary.delete, 0);
    assert.match(renderPlan(run.plan, plain).join("\n"), /2 services owned by mv no longer declared: mv-svc \(room roomb\), mv-stay \(room roomb\)/);
  });

  it("a server without the room listing: only the named rooms, and the plan says so", async () => {
    const real = h.target();
    const unlisted = new Proxy(real, { get: (t, p) => (p === "listRooms" ? async () => null : (Reflect.get(t, p, t) as (...a: unknown[]) => unknown).bind?.(t) ?? Reflect.get(t, p, t)) }) as Target;
    assert.deepEqual(await readOwnedElsewhere(unlisted, new Set(["rooma"]), ["mv"]), { rooms: {}, listed: false });
    const run = await planDesired(unlisted, await loadConfig(await h.writeConfig("version: 1\nroom: rooma\nowner: mv\nprune: true\nservices:\n  - tag: mv/new:1\n")));
    assert.equal(run.plan.summary.delete, 0);
    assert.match(renderPlan(run.plan, plain).join("\n"), /! the server does not list the project's rooms: only the rooms the config names were checked/);
  });
});
