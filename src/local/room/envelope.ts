// The envelope inside every room message's data (room-protocol.md §4.4):
// JSON length u64 BE | UTF-8 JSON header (an object) | binary payload. Pure.
import { jsonInputProblem, strictUtf8 } from "../json-input.js";
import { FrameError } from "./frames.js";

export interface Envelope {
  header: Record<string, unknown>;
  payload: Buffer;
}

export function packEnvelope(header: Record<string, unknown>, payload: Uint8Array = new Uint8Array(0)): Buffer {
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const data = Buffer.alloc(8 + json.length + payload.length);
  data.writeBigUInt64BE(BigInt(json.length), 0);
  json.copy(data, 8);
  data.set(payload, 8 + json.length);
  return data;
}

/** Throws FrameError when the data is not an envelope whose header is a JSON object. */
export function unpackEnvelope(data: Buffer): Envelope {
  if (data.length < 8) throw new FrameError(`message data of ${data.length} bytes is too short for an envelope`);
  const declared = data.readBigUInt64BE(0);
  if (declared > BigInt(data.length - 8)) throw new FrameError(`envelope declares a ${declared}-byte header but only ${data.length - 8} bytes follow`);
  const length = Number(declared);
  const text = strictUtf8(data.subarray(8, 8 + length));
  if (text === null) throw new FrameError("envelope header is not valid UTF-8");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new FrameError(`envelope header is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) throw new FrameError("envelope header is not a JSON object");
  // Tool arguments travel in the header: refused, not silently altered, like a REST body (audit L8).
  const problem = jsonInputProblem(header);
  if (problem !== null) throw new FrameError(`envelope header ${problem}`);
  return { header: header as Record<string, unknown>, payload: data.subarray(8 + length) };
}
