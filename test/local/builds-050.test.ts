// Builds and the room websocket at platform 0.50.1, over a bare socket that authenticates the way
// 0.43+ clients do (`Authorization: Bearer` on the upgrade): `containers.build` with `tags`,
// `list_builds` with `published_images`, `containers.delete_image`, and strict mode refusing the
// 0.39.9 forms (`tag` alone, `?token=`).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { PID, startTestRoom, type TestRoom } from "../helpers/local-room.js";
import { waitFor } from "../helpers/wait.js";
import { RawRoomSocket, upgradeStatus, type Received } from "./raw-room-socket.js";
import { writeTar } from "./tar-writer.js";

const CONTEXT = writeTar([{ path: "Dockerfile", content: "FROM python:3.12-slim\nCOPY app.py /app/\n" }, { path: "app.py", content: "print('hi')\n" }]);

async function connect(t: TestRoom): Promise<{ token: string; url: string }> {
  const connected = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
  return { token: connected.body.jwt, url: connected.body.room_url };
}

async function openWithHeader(t: TestRoom): Promise<RawRoomSocket> {
  const { token, url } = await connect(t);
  const socket = await RawRoomSocket.open(`${url}?v=0.50.1`, { headers: { Authorization: `Bearer ${token}` } });
  await socket.next(); // room_ready
  await socket.next(); // connected
  return socket;
}

let nextId = 100n;

/** Streams one build; returns the invoke's answer header (json {build_id} or an error). */
async function build(socket: RawRoomSocket, start: Record<string, unknown>): Promise<Record<string, unknown>> {
  const invoke = nextId++;
  const callId = `build-${invoke}`;
  socket.send(invoke, "room.invoke_tool", { toolkit: "containers", tool: "build", tool_call_id: callId, arguments: { type: "control", method: "open" } });
  const startAck = await socket.request(nextId++, "room.tool_call_request_chunk", { tool_call_id: callId, chunk: { type: "binary", headers: { kind: "start", ...start } } });
  if (startAck.header.type === "error") {
    const answer = await socket.next();
    assert.equal(answer.id, invoke);
    return answer.header;
  }
  await socket.request(nextId++, "room.tool_call_request_chunk", { tool_call_id: callId, chunk: { type: "binary", headers: { kind: "data" } } }, CONTEXT);
  socket.send(nextId++, "room.tool_call_request_chunk", { tool_call_id: callId, chunk: { type: "control", method: "close" } });
  const answers: Received[] = [await socket.next(), await socket.next()];
  const answer = answers.find((message) => message.id === invoke);
  assert.ok(answer, "the invoke is answered");
  return answer.header;
}

async function tool(socket: RawRoomSocket, name: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
  const [toolkit, toolName] = name.split(".");
  return (await socket.request(nextId++, "room.invoke_tool", { toolkit, tool: toolName, arguments: { type: "json", json: input } })).header;
}

describe("local room 0.50.1 (lenient): builds", { timeout: 30_000 }, () => {
  let t: TestRoom;
  let socket: RawRoomSocket;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1" });
    socket = await openWithHeader(t);
  });
  after(async () => {
    socket.socket.close(1000);
    await t.dispose();
  });

  it("builds from a tags start chunk and lists published_images per tag with the recorded digest", async () => {
    const tags = ["registry.meshagent.com/local/web:1", "registry.meshagent.com/local/web:latest"];
    const answer = await build(socket, { tags, mount_path: "/context", optimize_image: true, builder_name: "builder" });
    assert.equal(answer.type, "json", JSON.stringify(answer));
    const buildId = (answer.json as { build_id: string }).build_id;
    await waitFor("the build to succeed", () => t.room.builds().find((record) => record.id === buildId)?.status === "succeeded");
    const record = t.room.builds().find((each) => each.id === buildId);
    assert.deepEqual(record?.tags, tags);
    const digest = record?.digest ?? "";
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(t.room.images().map((image) => [image.tag, image.digest]), tags.map((tag) => [tag, digest]));

    const listed = await tool(socket, "containers.list_builds", {});
    const job = (listed.json as { builds: Record<string, unknown>[] }).builds.find((each) => each.id === buildId);
    assert.deepEqual(job, {
      id: buildId,
      tag: tags[0],
      status: "succeeded",
      exit_code: 0,
      published_images: tags.map((tag) => ({ tag, digest, resolved_ref: `registry.meshagent.com/local/web@${digest}`, optimized: true })),
    });
  });

  it("still accepts a 0.39.9 start chunk with tag alone (lenient); a failed build publishes nothing", async () => {
    const answer = await build(socket, { tag: "registry.meshagent.com/local/old:1" });
    assert.equal(answer.type, "json");
    const failed = await build(socket, { tags: ["registry.meshagent.com/local/broken:1"], dockerfile_path: "Missingfile" });
    const failedId = (failed.json as { build_id: string }).build_id;
    await waitFor("the build to fail", () => t.room.builds().find((record) => record.id === failedId)?.status === "failed");
    const listed = await tool(socket, "containers.list_builds", {});
    assert.deepEqual((listed.json as { builds: Record<string, unknown>[] }).builds.find((each) => each.id === failedId)?.published_images, []);
    const bad = await build(socket, { tags: [] });
    assert.deepEqual(bad, { type: "error", text: `containers.build "tags" must be a non-empty list of non-empty strings`, code: 1002 });
  });

  it("deletes a recorded image by tag or by repository@digest, and answers 1003 for an unknown one", async () => {
    await waitFor("the image", () => t.room.images().some((image) => image.tag === "registry.meshagent.com/local/web:latest"));
    assert.deepEqual(await tool(socket, "containers.delete_image", { image: "registry.meshagent.com/local/web:latest" }), { type: "empty" });
    assert.equal(t.room.images().some((image) => image.tag === "registry.meshagent.com/local/web:latest"), false);
    const digest = t.room.images().find((image) => image.tag === "registry.meshagent.com/local/web:1")?.digest;
    assert.deepEqual(await tool(socket, "containers.delete_image", { image: `registry.meshagent.com/local/web@${digest}` }), { type: "empty" });
    assert.equal(t.room.images().some((image) => image.tag.startsWith("registry.meshagent.com/local/web:")), false);
    assert.deepEqual(await tool(socket, "containers.delete_image", { image: "registry.meshagent.com/local/web:1" }), {
      type: "error", text: "image not found: registry.meshagent.com/local/web:1", code: 1003,
    });
    assert.equal((await tool(socket, "containers.delete_image", {})).code, 1002);
  });

  it("accepts the room token from the header and from ?token= (lenient)", async () => {
    const { token, url } = await connect(t);
    assert.equal((await upgradeStatus(url, { Authorization: `Bearer ${token}` })).status, 101);
    assert.equal((await upgradeStatus(`${url}?token=${token}`)).status, 101);
  });
});

describe("local room 0.50.1 (strict): builds and websocket auth", { timeout: 30_000 }, () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1", strictness: "strict" });
  });
  after(() => t.dispose());

  it("accepts only Authorization: Bearer on the upgrade", async () => {
    const { token, url } = await connect(t);
    const byQuery = await upgradeStatus(`${url}?token=${token}&v=0.39.9`);
    assert.equal(byQuery.status, 403);
    assert.match(JSON.parse(byQuery.body).error.message, /send the room token as an Authorization: Bearer header/);
    assert.equal((await upgradeStatus(`${url}?v=0.50.1`, { Authorization: `Bearer ${token}` })).status, 101);
    assert.equal((await upgradeStatus(url, { Authorization: "Bearer wrong" })).status, 403);
  });

  it("refuses a start chunk with tag alone and builds from tags", async () => {
    const socket = await openWithHeader(t);
    try {
      const refused = await build(socket, { tag: "registry.meshagent.com/local/web:1" });
      assert.equal(refused.type, "error");
      assert.equal(refused.code, 1002);
      assert.match(String(refused.text), /needs "tags" \(a non-empty list\) at MeshAgent 0\.50\.1; "tag" alone is refused/);
      const accepted = await build(socket, { tags: ["registry.meshagent.com/local/web:1"], tag: "ignored:1" });
      assert.equal(accepted.type, "json");
      assert.equal(t.room.builds().at(-1)?.tag, "registry.meshagent.com/local/web:1", "tags win over tag");
    } finally {
      socket.socket.close(1000);
    }
  });
});

describe("local room 0.39.9 (the default today): no delete_image, list_builds unchanged", () => {
  it("answers delete_image as an unknown tool", async () => {
    const t = await startTestRoom({ platform: "0.39.9" });
    const { token, url } = await connect(t);
    const socket = await RawRoomSocket.open(`${url}?token=${token}`);
    try {
      await socket.next();
      await socket.next();
      assert.deepEqual(await tool(socket, "containers.delete_image", { image: "x" }), { type: "error", text: "unknown tool containers.delete_image", code: 1003 });
      assert.deepEqual(await tool(socket, "containers.list_builds", {}), { type: "json", json: { builds: [] } });
    } finally {
      socket.socket.close(1000);
      await t.dispose();
    }
  });
});
