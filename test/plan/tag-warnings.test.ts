// The tag warning: an image by the moving tag `latest` (written or implied) is warned about, at
// `tag:`, only when meshdeploy does not build it (a build is tracked by its context's content).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import { tagWarnings } from "../../src/plan/tag-warnings.js";
import { service } from "../helpers/services.js";
import { applyToRooms } from "./fake-room.js";

const TAG_AT = { file: "/x/.meshdeploy.yaml", line: 5, column: 10 };
const OPTIONS = { owner: "shop", prune: false };

describe("tagWarnings", () => {
  it("warns about a tag-less image and an explicit `latest`, located at `tag:`", () => {
    const [implied] = tagWarnings(service({ tag: "myorg/api", image: "myorg/api", locations: { service: TAG_AT, tag: TAG_AT, room: TAG_AT, build: null } }));
    assert.match(implied?.message ?? "", /^`tag: myorg\/api` names no tag, so it means `latest`: a new image pushed under the same tag is never detected/);
    assert.match(implied?.hint ?? "", /pin a version .*\$\{GIT_SHORT_SHA\}.*\$\{CONTEXT_HASH\}/);
    assert.deepEqual(implied?.location, TAG_AT);
    const [explicit] = tagWarnings(service({ tag: "myorg/api:latest", image: "myorg/api:latest" }));
    assert.match(explicit?.message ?? "", /is the moving tag `latest`/);
    assert.deepEqual(tagWarnings(service({ tag: "registry.example.com:5000/api", image: "registry.example.com:5000/api" })).length, 1, "a registry port is not a tag");
  });

  it("stays silent for a pinned tag and for a service meshdeploy builds", () => {
    assert.deepEqual(tagWarnings(service({ tag: "myorg/api:1.4.2", image: "myorg/api:1.4.2" })), []);
    const built = service({ tag: "web", image: "registry.meshagent.com/local/web", build: { context: "/x/web", dockerfile: null } });
    assert.deepEqual(tagWarnings(built), []);
  });

  it("is on the planned service in every plan until fixed: create, then up to date", () => {
    const desired = [service({ tag: "myorg/api", image: "myorg/api" })];
    const first = computePlan(desired, {}, OPTIONS);
    assert.equal(first.services[0]?.warnings?.length, 1);
    const again = computePlan(desired, applyToRooms(first, {}), OPTIONS);
    assert.equal(again.services[0]?.type, "noop");
    assert.equal(again.services[0]?.warnings?.length, 1);
    assert.equal(computePlan([service()], {}, OPTIONS).services[0]?.warnings, undefined);
  });
});
