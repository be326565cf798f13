// The room websocket at the protocol level, with a bare socket: upgrade refusals, the handshake,
// id echo, acks and error codes, strict framing, pings and the close code.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { PID, startTestRoom, type TestRoom } from "../helpers/local-room.js";
import { RawRoomSocket, upgradeStatus } from "./raw-room-socket.js";

describe("local room websocket: protocol", { timeout: 30_000 }, () => {
  let t: TestRoom;
  let token: string;
  let roomUrl: string;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev", "other"], pingIntervalMs: 100, platform: "0.39.9" });
    const connected = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
    token = connected.body.jwt;
    roomUrl = connected.body.room_url;
  });
  after(() => t.dispose());

  const open = async (): Promise<RawRoomSocket> => {
    const socket = await RawRoomSocket.open(`${roomUrl}?token=${encodeURIComponent(token)}&v=0.39.9`);
    await socket.next();
    await socket.next();
    return socket;
  };

  it("answers refused upgrades with a plain HTTP status and an error body", async () => {
    const base = `ws://127.0.0.1:${t.room.port}`;
    assert.equal((await upgradeStatus(`${base}/rooms/dev`)).status, 403);
    const bad = await upgradeStatus(`${base}/rooms/dev?token=wrong`);
    assert.equal(bad.status, 403);
    assert.deepEqual(JSON.parse(bad.body), { error: { message: 'the token is not valid for room "dev"' } });
    assert.equal((await upgradeStatus(`${base}/rooms/other?token=${token}`)).status, 403, "a token is bound to its room");
    assert.equal((await upgradeStatus(`${base}/rooms/ghost?token=${token}`)).status, 404);
    assert.equal((await upgradeStatus(`${base}/somewhere?token=${token}`)).status, 404);
    assert.equal((await upgradeStatus(`${base}/rooms/dev`, { Authorization: `Bearer ${token}` })).status, 101, "Bearer fallback");
    assert.equal((await upgradeStatus(`${base}/rooms/dev?token=${token}`)).status, 101);
  });

  it("sends room_ready and connected first", async () => {
    const socket = await RawRoomSocket.open(`${roomUrl}?token=${token}`);
    const ready = await socket.next();
    const connected = await socket.next();
    assert.equal(ready.type, "room_ready");
    assert.deepEqual(Object.keys(ready.header), ["room_name", "room_url", "session_id"]);
    assert.equal(ready.header.room_name, "dev");
    assert.equal(ready.header.room_url, roomUrl);
    assert.equal(connected.type, "connected");
    assert.equal(connected.header.type, "init");
    assert.equal(typeof connected.header.participantId, "string");
    assert.deepEqual(connected.header.attributes, { name: "meshdeploy-local" });
    socket.socket.close(1000);
  });

  it("answers with the request's u64 id, and errors for unknown message types and tools", async () => {
    const socket = await open();
    const bigId = (1n << 40n) + 3n;
    const unknownType = await socket.request(bigId, "set_attributes", {});
    assert.equal(unknownType.id, bigId);
    assert.equal(unknownType.type, "__response__");
    assert.deepEqual(unknownType.header, { type: "error", text: 'message type "set_attributes" is not supported by the local room', code: 1002 });
    const unknownTool = await socket.request(7n, "room.invoke_tool", { toolkit: "storage", tool: "list", arguments: { type: "json", json: {} } });
    assert.deepEqual(unknownTool.header, { type: "error", text: "unknown tool storage.list", code: 1003 });
    const streamAsUnary = await socket.request(8n, "room.invoke_tool", { toolkit: "containers", tool: "build", arguments: { type: "json", json: {} } });
    assert.equal(streamAsUnary.header.code, 1002);
    const notJson = await socket.request(9n, "room.invoke_tool", { toolkit: "services", tool: "list", arguments: { type: "text", text: "x" } });
    assert.equal(notJson.header.code, 1002);
    socket.socket.close(1000);
  });

  it("acks request chunks, rejects chunks of unknown calls, and reassembles long requests", async () => {
    const socket = await open();
    const stray = await socket.request(1n, "room.tool_call_request_chunk", { tool_call_id: "nope", chunk: { type: "binary", headers: { kind: "data" } } });
    assert.deepEqual(stray.header, { type: "error", text: 'no open tool call "nope"', code: 1003 });
    const close = await socket.request(2n, "room.tool_call_request_chunk", { tool_call_id: "nope", chunk: { type: "control", method: "close", status_code: 1000 } });
    assert.deepEqual(close.header, { type: "empty" });
    const long = await socket.request(3n, "room.invoke_tool", { toolkit: "secrets", tool: "exists", arguments: { type: "json", json: { secret_id: "s".repeat(5000) } } });
    assert.deepEqual(long.header, { type: "json", json: { exists: false } });
    socket.socket.close(1000);
  });

  it("build then get_build_logs: chunk acks, {build_id}, control open, channel 1 lines, channel 3 status, control close", async () => {
    const socket = await open();
    socket.send(1n, "room.invoke_tool", { toolkit: "containers", tool: "build", tool_call_id: "b", arguments: { type: "control", method: "open" } });
    const tar = Buffer.alloc(1024); // an empty tar: two zero blocks
    assert.deepEqual((await socket.request(2n, "room.tool_call_request_chunk", { tool_call_id: "b", chunk: { type: "binary", headers: { kind: "start", tag: "t:1" } } })).header, { type: "empty" });
    assert.deepEqual((await socket.request(3n, "room.tool_call_request_chunk", { tool_call_id: "b", chunk: { type: "binary", headers: { kind: "data" } } }, tar)).header, { type: "empty" });
    socket.send(4n, "room.tool_call_request_chunk", { tool_call_id: "b", chunk: { type: "control", method: "close" } });
    const answers = [await socket.next(), await socket.next()].sort((a, b) => Number(a.id - b.id));
    assert.equal(answers[0]?.id, 1n);
    const buildId = (answers[0]?.header.json as { build_id: string }).build_id;
    assert.deepEqual(answers[1]?.header, { type: "empty" });

    socket.send(5n, "room.invoke_tool", { toolkit: "containers", tool: "get_build_logs", tool_call_id: "l", arguments: { type: "control", method: "open" } });
    socket.send(6n, "room.tool_call_request_chunk", { tool_call_id: "l", chunk: { type: "binary", headers: { kind: "start", build_id: buildId, follow: true } } });
    const received = [];
    for (;;) {
      const message = await socket.next();
      received.push(message);
      if (message.type === "room.tool_call_response_chunk" && (message.header.chunk as { type: string }).type === "control") break;
    }
    assert.deepEqual(received.slice(0, 2).map((message) => [message.id, message.header]), [
      [6n, { type: "empty" }],
      [5n, { type: "control", method: "open" }],
    ]);
    const chunks = received.slice(2).map((message) => message.header.chunk as { type: string; headers?: { channel: number } });
    assert.deepEqual(chunks.at(-2), { type: "binary", headers: { channel: 3 } });
    assert.deepEqual(JSON.parse(received.at(-2)?.payload.toString() ?? "{}"), { status: 1 }, "an empty context has no Dockerfile");
    assert.deepEqual(chunks.at(-1), { type: "control", method: "close", status_code: 1000 });
    assert.ok(received.slice(2, -2).some((message) => message.payload.toString().includes("no Dockerfile")));
    const ack = await socket.request(7n, "room.tool_call_request_chunk", { tool_call_id: "l", chunk: { type: "control", method: "close" } });
    assert.deepEqual(ack.header, { type: "empty" });
    assert.ok(socket.frameSizes.every((size) => size <= 12 + 1024));
    socket.socket.close(1000);
  });

  it("closes the socket with 1002 on a frame out of order and 1003 on a text frame", async () => {
    const outOfOrder = await open();
    const frame = Buffer.alloc(13);
    frame.writeUInt32BE(2, 8); // a data frame (packet 2) where a header frame must come
    outOfOrder.socket.send(frame);
    assert.equal((await outOfOrder.closed).code, 1002);
    const text = await open();
    text.socket.send("hello");
    assert.equal((await text.closed).code, 1003);
  });

  it("drops a client that stops answering pings", async () => {
    const socket = await RawRoomSocket.open(`${roomUrl}?token=${token}`, { autoPong: false });
    const { code } = await Promise.race([socket.closed, sleep(2_000).then(() => ({ code: -1 }))]);
    assert.equal(code, 1006, "terminated without a close frame");
    const answering = await open();
    await sleep(350);
    assert.equal(answering.socket.readyState, answering.socket.OPEN, "a client that answers pings stays");
    answering.socket.close(1000);
  });
});

describe("local room websocket: close()", { timeout: 30_000 }, () => {
  it("closes open room sockets with code 1000 and refuses new ones", async () => {
    const t = await startTestRoom({ rooms: ["dev"] });
    const connected = await t.api("POST", `/accounts/projects/${PID}/rooms/dev/connect`, {});
    const socket = await RawRoomSocket.open(`${connected.body.room_url}?token=${connected.body.jwt}`);
    await t.dispose();
    const closed = await socket.closed;
    assert.equal(closed.code, 1000);
    assert.equal(closed.reason, "the local room was closed");
  });
});
