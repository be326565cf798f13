// Targets that name nothing are refused before anything is read, with the names they could mean.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UsageError } from "../../src/errors.js";
import { requireTargets } from "../../src/read/select-targets.js";
import { service } from "../helpers/services.js";

const SERVICES = [
  service({ index: 0, name: "acme-web", tag: "acme/web:1", image: "acme/web:1", room: "dev" }),
  service({ index: 1, name: "acme-api", tag: "acme/api:1", image: "acme/api:1", room: "staging" }),
];
const none = { services: [], rooms: [], exclude: [] };

function refusal(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return error;
  }
  assert.fail("expected a UsageError");
}

describe("read/select-targets", () => {
  it("returns the targeted services", () => {
    assert.deepEqual(requireTargets(SERVICES, { ...none, rooms: ["staging"] }).map((s) => s.name), ["acme-api"]);
  });

  it("an unknown --service or --room is refused with did-you-mean and the known names", () => {
    const e = refusal(() => requireTargets(SERVICES, { ...none, services: ["acme-apii"], rooms: ["stagin"] }));
    assert.equal(e.message, "targeting: --service acme-apii matches no declared service (did you mean acme-api?); --room stagin is not a room the config names (did you mean staging?); nothing was changed");
    assert.equal(e.hint, "declared services: acme-web, acme-api (each also answers to its tag's repository); rooms: dev, staging");
  });

  it("an --exclude that names nothing is refused too (a typo must not deploy what it meant to leave out)", () => {
    const e = refusal(() => requireTargets(SERVICES, { ...none, exclude: ["staging"] }));
    assert.match(e.message, /^targeting: --exclude staging matches no declared service \(--exclude takes services; to leave room staging out, name the rooms to act on with --room\); nothing was changed$/);
  });

  it("targets that together keep nothing are refused, naming where each service is", () => {
    const e = refusal(() => requireTargets(SERVICES, { ...none, services: ["acme-web"], rooms: ["staging"] }));
    assert.equal(e.message, "targeting: --service acme-web --room staging keeps no declared service; nothing was changed");
    assert.equal(e.hint, "declared: acme-web (room dev), acme-api (room staging)");
  });
});
