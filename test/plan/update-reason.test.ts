// The update reason's wording: the most telling cause first, at most three paths named.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { listPaths, updateReason } from "../../src/plan/update-reason.js";
import type { Change } from "../../src/plan/types.js";
import { service } from "../helpers/services.js";

const change = (path: string): Change => ({ path, before: "a", after: "b" });
const base = { service: service(), managed: true, drift: false, recordedIsDesired: false, fieldChanges: [], contextChanges: [], liveContext: null, restartPending: false, ownChanges: [], specChanged: false, routeChanges: [], rewrittenFor: null };

describe("plan/update-reason", () => {
  it("names three paths and counts the rest", () => {
    assert.equal(listPaths(["a", "b", "c", "d", "e"].map(change)), "a, b, c and 2 more");
    assert.equal(listPaths([change("a")]), "a");
  });

  it("puts adopting before drift, drift before a config change, and says up to date last", () => {
    const fields = [change("container.image")];
    assert.match(updateReason({ ...base, managed: false, drift: true, fieldChanges: fields }), /^adopting: exists in room /);
    assert.equal(updateReason({ ...base, drift: true, recordedIsDesired: true, fieldChanges: fields }), "drift: edited outside meshdeploy (container.image)");
    assert.equal(updateReason({ ...base, fieldChanges: fields }), "config changed: container.image");
    assert.match(updateReason({ ...base, fieldChanges: fields, rewrittenFor: "0.50.1" }), /^the server now speaks MeshAgent 0\.50\.1/);
    assert.equal(updateReason(base), "up to date");
  });

  it("words meshdeploy's own records as records", () => {
    const own = [{ path: "metadata.annotations.meshdeploy.protect", before: null, after: "true" }];
    assert.equal(updateReason({ ...base, specChanged: true, ownChanges: own }), "meshdeploy's records: protect on");
  });
});
