// Frame codec and envelope of the room websocket (room-protocol.md §4): exact bytes, 1024-byte
// pieces, u64 ids, strict in-order reassembly.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { packEnvelope, unpackEnvelope } from "../../src/local/room/envelope.js";
import { encodeMessage, FrameAssembler, FrameError, PIECE_SIZE } from "../../src/local/room/frames.js";

describe("room frames", () => {
  it("encodes the captured secrets.exists answer byte for byte (§4.5)", () => {
    const data = packEnvelope({ type: "json", json: { exists: false } });
    const frames = encodeMessage({ id: 0n, type: "__response__", data });
    assert.equal(frames.length, 2);
    assert.equal(frames[0]?.toString("hex"), `${"00".repeat(8)}00000000${"00000001"}${Buffer.from("__response__").toString("hex")}`);
    assert.equal(frames[1]?.subarray(0, 12).toString("hex"), `${"00".repeat(8)}00000001`);
    assert.equal(frames[1]?.subarray(12, 20).toString("hex"), "0000000000000027");
    assert.equal(frames[1]?.subarray(20).toString(), '{"type":"json","json":{"exists":false}}');
  });

  it("cuts data into 1024-byte pieces and sends no data frame for empty data", () => {
    const data = Buffer.alloc(PIECE_SIZE * 2 + 1, 7);
    const frames = encodeMessage({ id: 5n, type: "t", data });
    assert.deepEqual(frames.map((frame) => frame.length), [17, 12 + 1024, 12 + 1024, 12 + 1]);
    assert.equal(frames[0]?.readUInt32BE(12), 3);
    assert.deepEqual(frames.slice(1).map((frame) => frame.readUInt32BE(8)), [1, 2, 3]);
    assert.deepEqual(encodeMessage({ id: 1n, type: "room_ready", data: Buffer.alloc(0) }).map((frame) => frame.readUInt32BE(12)), [0]);
  });

  it("keeps u64 ids exact in both halves", () => {
    const id = (0x12345678n << 32n) | 0x9abcdef0n;
    const [header] = encodeMessage({ id, type: "x", data: Buffer.alloc(0) });
    assert.equal(header?.readUInt32BE(0), 0x12345678);
    assert.equal(header?.readUInt32BE(4), 0x9abcdef0);
    assert.equal(new FrameAssembler(1024).push(header ?? Buffer.alloc(0))?.id, id);
  });

  it("reassembles what it encodes, message after message", () => {
    const assembler = new FrameAssembler(1 << 20);
    for (const size of [0, 1, 1024, 1025, 5000]) {
      const data = Buffer.from(Array.from({ length: size }, (_, index) => index % 251));
      const frames = encodeMessage({ id: BigInt(size), type: "room.invoke_tool", data });
      const results = frames.map((frame) => assembler.push(frame));
      assert.deepEqual(results.slice(0, -1), new Array(frames.length - 1).fill(null));
      assert.deepEqual(results.at(-1), { id: BigInt(size), type: "room.invoke_tool", data });
    }
  });

  it("rejects frames out of order, for another id, a data frame first, or a message over the limit", () => {
    const frames = encodeMessage({ id: 9n, type: "t", data: Buffer.alloc(3000) });
    const [header, first, second] = frames as [Buffer, Buffer, Buffer];
    assert.throws(() => new FrameAssembler(1 << 20).push(first), FrameError);
    const skipped = new FrameAssembler(1 << 20);
    skipped.push(header);
    assert.throws(() => skipped.push(second), /expected packet 1 of message 9, got packet 2/);
    const otherId = new FrameAssembler(1 << 20);
    otherId.push(header);
    const foreign = Buffer.from(first);
    foreign.writeBigUInt64BE(10n, 0);
    assert.throws(() => otherId.push(foreign), /expected a frame of message 9, got one of message 10/);
    const small = new FrameAssembler(2000);
    small.push(header);
    small.push(first);
    assert.throws(() => small.push(second), /larger than 2000 bytes/);
    assert.throws(() => new FrameAssembler(1024).push(Buffer.alloc(5)), /shorter than a frame header/);
  });
});

describe("room envelope", () => {
  it("packs a u64 JSON length, the JSON header and the payload, and unpacks them", () => {
    const packed = packEnvelope({ type: "binary", headers: { channel: 1 } }, Buffer.from("héllo"));
    const json = '{"type":"binary","headers":{"channel":1}}';
    assert.equal(packed.readBigUInt64BE(0), BigInt(json.length));
    assert.equal(packed.subarray(8, 8 + json.length).toString(), json);
    const { header, payload } = unpackEnvelope(packed);
    assert.deepEqual(header, { type: "binary", headers: { channel: 1 } });
    assert.equal(payload.toString("utf8"), "héllo");
  });

  it("rejects data that is not an envelope with an object header", () => {
    assert.throws(() => unpackEnvelope(Buffer.alloc(4)), /too short/);
    const lying = Buffer.alloc(10);
    lying.writeBigUInt64BE(99n, 0);
    assert.throws(() => unpackEnvelope(lying), /declares a 99-byte header/);
    assert.throws(() => unpackEnvelope(packRaw("[1]")), /not a JSON object/);
    assert.throws(() => unpackEnvelope(packRaw("{nope")), /not valid JSON/);
  });

  it("refuses what it would silently alter (audit L8): invalid UTF-8, __proto__ keys, lone surrogates, deep nesting", () => {
    const bytes = (parts: (string | number[])[]): Buffer => {
      const json = Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));
      const data = Buffer.alloc(8 + json.length);
      data.writeBigUInt64BE(BigInt(json.length), 0);
      json.copy(data, 8);
      return data;
    };
    assert.throws(() => unpackEnvelope(bytes(['{"type":"json","json":{"name":"', [0xff, 0xfe], '"}}'])), /envelope header is not valid UTF-8/);
    assert.throws(() => unpackEnvelope(bytes(['{"type":"json","json":{"arguments":{"__proto__":{"x":1}}}}'])), /envelope header has the key "__proto__" \(at json\.arguments\.__proto__\)/);
    assert.throws(() => unpackEnvelope(bytes(['{"type":"json","json":"\\ud800"}'])), /lone UTF-16 surrogate in the string at json/);
    assert.throws(() => unpackEnvelope(bytes([`{"type":"json","json":${"[".repeat(100_000)}${"]".repeat(100_000)}}`])), /nests deeper than 64 levels/);
  });
});

function packRaw(json: string): Buffer {
  const data = Buffer.alloc(8 + json.length);
  data.writeBigUInt64BE(BigInt(json.length), 0);
  data.write(json, 8);
  return data;
}
