// Digest pinning and the room image cache (issue 11 items 3, 4) on a 0.50.1 local room: after a
// build the service runs `repository@sha256:…` with the tag and digest recorded, the next plan is
// no change, an update that does not rebuild keeps the pin, and a rebuild drops the built tag and
// the replaced digest from the room's image cache. On 0.39.9 the tag is written as before.
import assert from "node:assert/strict";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { packContext } from "../../src/build-context/pack.js";
import { loadConfig } from "../../src/config/load.js";
import { IMAGE_DIGEST, IMAGE_TAG } from "../../src/model/annotations.js";
import { applyRun, planDesired } from "../../src/reconcile.js";
import { type Harness, startHarness } from "../helpers/local-room.js";

const config = (env: string): string => `version: 1\nroom: dev\nowner: pin\nservices:\n  - tag: web:1\n    build: ./web\n    env: {MODE: ${env}}\n`;
const TAG = "registry.meshagent.com/local/web:1";

describe("digest pinning after a build", () => {
  for (const platform of ["0.50.1", "0.39.9"] as const) {
    describe(platform, () => {
      let h: Harness;
      before(async () => {
        h = await startHarness({ platform });
        await mkdir(path.join(h.projectDir, "web"), { recursive: true });
        await writeFile(path.join(h.projectDir, "web/Dockerfile"), "FROM node:20-alpine\nCOPY server.js .\n");
        await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(1)\n");
      });
      after(() => h.close());

      const run = async (yaml: string) => planDesired(h.target(), await loadConfig(await h.writeConfig(yaml)));
      const apply = async (yaml: string) => {
        const r = await run(yaml);
        const result = await applyRun(h.target(), r, { concurrency: 2, pollIntervalMs: 25, waitTimeoutMs: 20_000 });
        assert.equal(result.summary.failed, 0, result.results.map((x) => x.error?.message).join("\n"));
        return result;
      };
      const live = () => h.room.services("dev")[0] as unknown as { container: { image: string }; metadata: { annotations: Record<string, string> } };

      it("pins the built image by digest (0.50.1), and the next plan is no change", async () => {
        await apply(config("a"));
        const built = h.room.builds().at(-1)!;
        if (platform === "0.50.1") {
          assert.equal(live().container.image, `registry.meshagent.com/local/web@${built.digest}`);
          assert.equal(live().metadata.annotations[IMAGE_TAG], TAG);
          assert.equal(live().metadata.annotations[IMAGE_DIGEST], built.digest);
          assert.ok(!h.room.images().some((i) => i.tag === TAG), "the built tag is dropped from the room's image cache");
        } else {
          assert.equal(live().container.image, TAG);
          assert.equal(live().metadata.annotations[IMAGE_TAG], undefined);
        }
        const again = await run(config("a"));
        assert.deepEqual(again.plan.summary, { create: 0, update: 0, delete: 0, noop: 1 });
        assert.equal(again.plan.services[0]!.build, null);
      });

      it("an update that does not rebuild keeps the pin; a rebuild pins the new digest", async () => {
        const before = live().container.image;
        const update = await run(config("b"));
        assert.equal(update.plan.services[0]!.type, "update");
        assert.equal(update.plan.services[0]!.build, null, "an env change is no reason to rebuild");
        await apply(config("b"));
        assert.equal(live().container.image, before);
        assert.deepEqual((await run(config("b"))).plan.summary.noop, 1);

        await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(2)\n");
        await apply(config("b"));
        const built = h.room.builds().at(-1)!;
        if (platform === "0.50.1") {
          assert.equal(live().container.image, `registry.meshagent.com/local/web@${built.digest}`);
          assert.notEqual(live().container.image, before);
        } else assert.equal(live().container.image, TAG);
        assert.equal((await run(config("b"))).plan.summary.noop, 1);
      });
    });
  }
});

describe("the room's image cache after a rebuild (0.50.1)", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ platform: "0.50.1" });
    await mkdir(path.join(h.projectDir, "web"), { recursive: true });
    await writeFile(path.join(h.projectDir, "web/Dockerfile"), "FROM node:20-alpine\nCOPY server.js .\n");
    await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(1)\n");
  });
  after(() => h.close());

  const apply = async (yaml: string) => {
    const result = await applyRun(h.target(), await planDesired(h.target(), await loadConfig(await h.writeConfig(yaml))), { concurrency: 2, pollIntervalMs: 25, waitTimeoutMs: 20_000 });
    assert.equal(result.summary.failed, 0, result.results.map((x) => x.error?.message).join("\n"));
    return result;
  };
  const liveImage = () => (h.room.services("dev")[0] as unknown as { container: { image: string } }).container.image;

  it("deletes the replaced digest, not only the built tag", async () => {
    await apply(config("a"));
    const replaced = liveImage();
    const oldDigest = replaced.slice(replaced.indexOf("@") + 1);
    assert.match(replaced, /^registry\.meshagent\.com\/local\/web@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(h.room.images(), [], "the first deploy's clean-up dropped its built tag");

    // The room's cache still holds the running image (as a real room does after pulling it): the
    // same context built again under another tag of the repository is recorded with that digest.
    const room = await h.target().room("dev");
    const packed = await packContext(path.join(h.projectDir, "web"));
    const kept = "registry.meshagent.com/local/web:kept";
    const buildId = await room.build({ tag: kept, dockerfilePath: packed.dockerfilePath, size: packed.size, chunks: packed.chunks(), credentials: [] });
    assert.equal(await room.followBuildLogs(buildId, () => undefined), 0);
    assert.deepEqual(h.room.images().map((i) => [i.tag, i.digest]), [[kept, oldDigest]], "the cache holds the replaced digest before the rebuild");

    await writeFile(path.join(h.projectDir, "web/server.js"), "console.log(2)\n");
    await apply(config("a"));
    assert.notEqual(liveImage(), replaced, "rebuilt: a new digest runs");
    assert.deepEqual(h.room.images(), [], "the replaced digest (and the built tag) are gone from the room's image cache");
  });
});
