// A field the target's generation does not have is a plan problem naming the field, the server
// version and what to use instead; nothing is planned for that service.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { computePlan } from "../../src/plan/compute-plan.js";
import type { WirePlatform } from "../../src/model/wire.js";
import { service } from "../helpers/services.js";

const P039: WirePlatform = { version: "0.39.9", generation: "0.39.9" };
const P050: WirePlatform = { version: "0.50.1", generation: "0.50.1" };
const at = { file: "/p/.meshdeploy.yaml", line: 7, column: 14 };
const plan = (s: ReturnType<typeof service>, platform: WirePlatform) => computePlan([s], {}, { owner: "o", prune: false, platform });

describe("platform rules at plan time", () => {
  it("0.50.1: secrets without runAs, and project mounts, are problems with a located field", () => {
    const secrets = plan(service({ secrets: [{ name: "DB", secretId: "sec_1" }], locations: { service: at, tag: at, room: at, build: null, fields: { secrets: at } } }), P050);
    assert.equal(secrets.services.length, 0);
    assert.match(secrets.problems[0]!.message, /^`secrets` \(\/p\/\.meshdeploy\.yaml:7:14\) needs `runAs:` on MeshAgent 0\.50\.1/);
    assert.match(secrets.problems[0]!.hint ?? "", /runAs: \{email:/);
    const project = plan(service({ mounts: { room: null, project: [{ path: "/s", subpath: null, readOnly: true }], images: null, emptyDirs: null, volumes: null } }), P050);
    assert.match(project.problems[0]!.message, /`mounts\.project`: MeshAgent 0\.50\.1 has no project mounts \(removed in 0\.45\)/);
    assert.match(project.problems[0]!.hint ?? "", /volumes/);
  });

  it("0.39.9: runAs, volumes, template, enabled and validation name the version they need", () => {
    const cases: [Partial<ReturnType<typeof service>>, RegExp][] = [
      [{ runAs: { email: "a@b", scopes: null } }, /`runAs` needs MeshAgent 0\.45\.0 or later; the target is MeshAgent 0\.39\.9/],
      [{ mounts: { room: null, project: null, images: null, emptyDirs: null, volumes: [{ name: "v", path: "/v", subpath: null, readOnly: false }] } }, /`mounts\.volumes` needs MeshAgent 0\.48\.0/],
      [{ template: "none" }, /`template` needs MeshAgent 0\.41\.4/],
      [{ enabled: false }, /`enabled` needs MeshAgent 0\.49\.0/],
      [{ validation: "none" }, /`validation` needs MeshAgent 0\.42\.0/],
    ];
    for (const [overrides, message] of cases) {
      const result = plan(service(overrides), P039);
      assert.equal(result.services.length, 0);
      assert.match(result.problems[0]!.message, message);
    }
  });

  it("the same fields on the generation that has them plan normally", () => {
    const ok = plan(service({ secrets: [{ name: "DB", secretId: "sec_1" }], runAs: { email: "a@b", scopes: null }, template: "none", enabled: true, validation: "cookie" }), P050);
    assert.deepEqual(ok.problems, []);
    assert.equal(ok.services[0]!.type, "create");
  });
});
