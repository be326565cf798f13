// A config reloaded by watch resolves `${VAR}` from the same environment as the first load.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MeshagentTarget } from "../../../src/platform/meshagent-target.js";
import { startWatchProject, type WatchProject } from "./helpers.js";

const config = (extra: string) => `version: 1\nroom: dev\nservices:\n  - tag: acme/web:1\n    env: {APP_ENV: "\${STAGE}"${extra}}\n`;

describe("watch and interpolation", () => {
  let p: WatchProject;
  before(async () => {
    p = await startWatchProject({ files: { ".meshdeploy.yaml": config("") }, env: { STAGE: "dev" } });
    await p.cycleEnd(1);
  });
  after(() => p.close());

  it("a reloaded config still sees the variables", async () => {
    await p.write({ ".meshdeploy.yaml": config(", MODE: fast") });
    const end = await p.cycleEnd(2);
    assert.equal(end.outcome.configError, null);
    const target = new MeshagentTarget({ apiUrl: p.room.url, token: "watch-test-token-0123456789", projectId: "local" });
    const [web] = await target.listServices("dev");
    await target.close();
    assert.deepEqual(web?.container?.environment?.map((e) => [e.name, e.value]), [["APP_ENV", "dev"], ["MODE", "fast"]]);
  });
});
