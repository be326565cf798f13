// watch keeps the environment it started with: a reloaded config with environments is loaded as
// that environment again (without it every reload would be "choose an environment").
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MeshagentTarget } from "../../../src/platform/meshagent-target.js";
import { startWatchProject, type WatchProject } from "./helpers.js";

const config = (staging: string) =>
  `version: 1\nowner: shop\nroom: dev\nservices:\n  - tag: acme/web:1\n    env: {APP_ENV: base}\nenvironments:\n  prod: {}\n  staging:\n    services:\n      acme-web: {env: {APP_ENV: ${staging}}}\n`;

describe("watch with -e", () => {
  let p: WatchProject;
  before(async () => {
    p = await startWatchProject({ files: { ".meshdeploy.yaml": config("one") }, environment: "staging" });
    await p.cycleEnd(1);
  });
  after(() => p.close());

  it("a reload applies the same environment's overlay, under its owner", async () => {
    await p.write({ ".meshdeploy.yaml": config("two") });
    const end = await p.cycleEnd(2);
    assert.equal(end.outcome.configError, null);
    assert.equal(end.outcome.desired.environment, "staging");
    const target = new MeshagentTarget({ apiUrl: p.room.url, token: "watch-test-token-0123456789", projectId: "local" });
    const [web] = await target.listServices("dev");
    await target.close();
    assert.deepEqual(web?.container?.environment?.map((e) => [e.name, e.value]), [["APP_ENV", "two"]]);
    assert.equal(web?.metadata.annotations?.["meshdeploy.owner"], "shop.staging");
  });
});
