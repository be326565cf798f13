// What the room websocket carries per generation, recorded by a proxy in front of the real local
// room: from 0.43 the token as `Authorization: Bearer` and no `?token=`; from 0.40.1 the build
// start chunk with `tags: [tag]`; a 0.39.9 target sends exactly today's `?token=` and `tag`.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";
import { type Harness, startHarness, TOKEN } from "../helpers/local-room.js";
import { type RecordingProxy, startRecordingProxy } from "../helpers/recording-proxy.js";
import { chunksOf } from "../local/room-client.js";
import { writeTar } from "../local/tar-writer.js";

const CONTEXT = writeTar([{ path: "Dockerfile", content: "FROM node:20-slim\nCMD [\"node\"]\n" }]);
const TAG = "registry.meshagent.com/local/wire:1";

/** The JSON start chunk header of containers.build among the messages the client sent. */
function buildStart(sent: readonly Buffer[]): Record<string, unknown> {
  for (const message of sent) {
    const text = message.toString("latin1");
    const at = text.indexOf('{"kind":"start"');
    if (at === -1 || !text.includes('"mount_path"', at)) continue;
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      if (text[i] === "{") depth++;
      if (text[i] === "}" && --depth === 0) return JSON.parse(text.slice(at, i + 1)) as Record<string, unknown>;
    }
  }
  throw new Error("no containers.build start chunk was sent");
}

describe("room wire per generation", { timeout: 60_000 }, () => {
  let h: Harness;
  let proxy: RecordingProxy;
  before(async () => {
    h = await startHarness();
    proxy = await startRecordingProxy(h.room.url);
  });
  after(async () => {
    await proxy.close();
    await h.close();
  });

  const run = async (version: string): Promise<{ url: URL; authorization: string | undefined; start: Record<string, unknown>; tagged: boolean }> => {
    proxy.upgrades.length = 0;
    proxy.sent.length = 0;
    const target = new MeshagentTarget({ apiUrl: proxy.url, token: TOKEN, projectId: "local", platform: { version, source: "flag" } });
    try {
      const room = await target.room("dev");
      const credentials = [{ registry: "registry.meshagent.com", username: "u", password: "p" }];
      const buildId = await room.build({ tag: TAG, dockerfilePath: "/context/Dockerfile", size: CONTEXT.length, chunks: chunksOf(CONTEXT, 700), credentials });
      const tagged = h.room.builds().some((b) => b.id === buildId && JSON.stringify(b).includes(TAG));
      const [upgrade] = proxy.upgrades;
      return { url: new URL(upgrade!.url, "ws://x"), authorization: upgrade!.headers.authorization, start: buildStart(proxy.sent), tagged };
    } finally {
      await target.close();
    }
  };

  const common = { kind: "start", mount_path: "/context", context_path: "/context", dockerfile_path: "/context/Dockerfile", optimize_image: true, private: false, credentials: [{ registry: "registry.meshagent.com", username: "u", password: "p" }], builder_name: "builder", size: CONTEXT.length };

  it("0.39.9: ?token= and no header; the npm 0.39.9 start chunk with `tag`", async () => {
    const { url, authorization, start, tagged } = await run("0.39.9");
    assert.ok((url.searchParams.get("token") ?? "").length > 0);
    assert.equal(authorization, undefined);
    assert.deepEqual(start, { ...common, tag: TAG });
    assert.deepEqual(Object.keys(start), ["kind", "tag", "mount_path", "context_path", "dockerfile_path", "optimize_image", "private", "credentials", "builder_name", "size"]);
    assert.ok(tagged, "the room built the tag");
  });

  it("0.50.1: Authorization: Bearer and no ?token=; `tags: [tag]` and no `tag`, other fields the same", async () => {
    const { url, authorization, start, tagged } = await run("0.50.1");
    assert.equal(url.searchParams.has("token"), false);
    assert.equal(url.pathname, "/rooms/dev");
    assert.match(authorization ?? "", /^Bearer mdl_/);
    assert.deepEqual(start, { ...common, tags: [TAG] });
    assert.deepEqual(Object.keys(start), ["kind", "tags", "mount_path", "context_path", "dockerfile_path", "optimize_image", "private", "credentials", "builder_name", "size"]);
    assert.ok(tagged, "the room built the tag");
  });

  it("the features start where the versions say: 0.40.1 tags with ?token=, 0.43.0 the header", async () => {
    const v401 = await run("0.40.1");
    assert.deepEqual(v401.start["tags"], [TAG]);
    assert.ok(v401.url.searchParams.has("token"));
    assert.equal(v401.authorization, undefined);
    const v43 = await run("0.43.0");
    assert.equal(v43.url.searchParams.has("token"), false);
    assert.match(v43.authorization ?? "", /^Bearer /);
  });
});
