// Stream calls without a socket: StreamCalls' answering rules with the real build and build-log
// tools, including the paths the official-client test cannot time (a queued build followed live,
// a cancel mid-stream, a rejected chunk).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BuildJobs } from "../../src/local/builds/build-jobs.js";
import { buildLogsTool } from "../../src/local/room/build-logs.js";
import { buildTool } from "../../src/local/room/build-upload.js";
import type { ReceivedContent } from "../../src/local/room/content.js";
import { StreamCalls } from "../../src/local/room/stream-calls.js";
import { writeTar } from "./tar-writer.js";

type Sent = ["respond", bigint, unknown] | ["chunk", string, unknown, string];

function harness(): { calls: StreamCalls; sent: Sent[]; jobs: BuildJobs } {
  const sent: Sent[] = [];
  const calls = new StreamCalls({
    respond: (id, content) => sent.push(["respond", id, content.header]),
    chunk: (toolCallId, content) => sent.push(["chunk", toolCallId, content.header, content.payload.toString()]),
  });
  let next = 0;
  return { calls, sent, jobs: new BuildJobs({ newId: () => `b${++next}`, recordImage: async () => undefined }) };
}

const start = (headers: Record<string, unknown>): ReceivedContent => ({ type: "binary", headers: { kind: "start", ...headers }, data: Buffer.alloc(0) });
const close: ReceivedContent = { type: "control", method: "close" };
const CONTEXT = { context: writeTar([{ path: "Dockerfile", content: "FROM a\nRUN x" }]), tag: "t:1", dockerfilePath: null, contextPath: "/context", mountPath: "/context" };
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("stream calls: get_build_logs", () => {
  it("follows a queued build live: ack, control open, lines as they come, status, close", async () => {
    const { calls, sent, jobs } = harness();
    jobs.submit("dev", CONTEXT);
    calls.open(1n, "T", (sink) => buildLogsTool(jobs).open(sink, "dev"));
    calls.chunk(2n, "T", start({ build_id: "b1", follow: true }));
    assert.deepEqual(sent, [
      ["respond", 2n, { type: "empty" }],
      ["respond", 1n, { type: "control", method: "open" }],
    ]);
    await tick();
    await tick();
    const chunks = sent.slice(2) as ["chunk", string, { type: string; headers?: unknown }, string][];
    assert.ok(chunks.length >= 6);
    assert.ok(chunks.slice(0, -2).every(([, id, header, text]) => id === "T" && JSON.stringify(header) === '{"type":"binary","headers":{"channel":1}}' && text.endsWith("\n")));
    assert.deepEqual(chunks.at(-2)?.slice(2), [{ type: "binary", headers: { channel: 3 } }, '{"status":0}']);
    assert.deepEqual(chunks.at(-1)?.slice(2), [{ type: "control", method: "close", status_code: 1000 }, ""]);
    const before = sent.length;
    calls.chunk(3n, "T", close);
    assert.deepEqual(sent.slice(before), [["respond", 3n, { type: "empty" }]], "a finished stream is not closed twice");
  });

  it("ends at once when the client closes its input (cancel), and follow:false on an unfinished build closes without a status", () => {
    const { calls, sent, jobs } = harness();
    jobs.submit("dev", CONTEXT);
    calls.open(1n, "A", (sink) => buildLogsTool(jobs).open(sink, "dev"));
    calls.chunk(2n, "A", start({ build_id: "b1" }));
    calls.chunk(3n, "A", close);
    assert.deepEqual(sent.slice(2), [
      ["respond", 3n, { type: "empty" }],
      ["chunk", "A", { type: "control", method: "close", status_code: 1000 }, ""],
    ]);
    calls.open(4n, "B", (sink) => buildLogsTool(jobs).open(sink, "dev"));
    calls.chunk(5n, "B", start({ build_id: "b1", follow: false }));
    assert.deepEqual(sent.slice(4), [
      ["respond", 5n, { type: "empty" }],
      ["respond", 4n, { type: "control", method: "open" }],
      ["chunk", "B", { type: "control", method: "close", status_code: 1000 }, ""],
    ]);
  });

  it("answers an unknown build, or one of another room, with NOT_FOUND", () => {
    const { calls, sent, jobs } = harness();
    jobs.submit("other", CONTEXT);
    calls.open(1n, "T", (sink) => buildLogsTool(jobs).open(sink, "dev"));
    calls.chunk(2n, "T", start({ build_id: "b1" }));
    assert.deepEqual(sent, [
      ["respond", 2n, { type: "empty" }],
      ["respond", 1n, { type: "error", text: "build not found: b1", code: 1003 }],
    ]);
    calls.chunk(3n, "T", close);
    assert.deepEqual(sent.at(-1), ["respond", 3n, { type: "empty" }], "the client's close chunk after a failure is still acknowledged");
  });
});

describe("stream calls: build", () => {
  it("rejects a data chunk before the start chunk and fails the invoke with the same error", () => {
    const { calls, sent, jobs } = harness();
    calls.open(1n, "T", (sink) => buildTool(jobs).open(sink, "dev"));
    calls.chunk(2n, "T", { type: "binary", headers: { kind: "data" }, data: Buffer.from("x") });
    const error = { type: "error", text: "containers.build got context data before its start chunk", code: 1002 };
    assert.deepEqual(sent, [["respond", 2n, error], ["respond", 1n, error]]);
    calls.chunk(3n, "T", close);
    assert.deepEqual(sent.at(-1), ["respond", 3n, { type: "empty" }]);
    assert.deepEqual(jobs.list(), []);
  });

  it("answers {build_id} after the input closes, and refuses a size that does not match", () => {
    const { calls, sent, jobs } = harness();
    calls.open(1n, "T", (sink) => buildTool(jobs).open(sink, "dev"));
    calls.chunk(2n, "T", start({ tag: "t:1", size: CONTEXT.context.length }));
    calls.chunk(3n, "T", { type: "binary", headers: { kind: "data" }, data: CONTEXT.context });
    assert.equal(sent.length, 2, "no answer before the input closes");
    calls.chunk(4n, "T", close);
    assert.deepEqual(sent.slice(2), [["respond", 4n, { type: "empty" }], ["respond", 1n, { type: "json", json: { build_id: "b1" } }]]);
    assert.equal(jobs.get("b1")?.tag, "t:1");

    calls.open(5n, "U", (sink) => buildTool(jobs).open(sink, "dev"));
    calls.chunk(6n, "U", start({ tag: "t:2", size: 10 }));
    calls.chunk(7n, "U", close);
    assert.deepEqual(sent.at(-1), ["respond", 5n, { type: "error", text: "the start chunk announced 10 context bytes but 0 arrived", code: 1002 }]);
  });

  it("answers an invoke left unanswered when the input closes, so the client never hangs", () => {
    const { calls, sent } = harness();
    calls.open(1n, "T", () => ({ onChunk: () => undefined, onInputClosed: () => undefined, release: () => undefined }));
    calls.chunk(2n, "T", close);
    assert.deepEqual(sent, [["respond", 2n, { type: "empty" }], ["respond", 1n, { type: "error", text: "the tool call ended without an answer", code: 1008 }]]);
  });
});
