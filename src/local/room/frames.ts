// The room websocket's framing (room-protocol.md §4.2): one logical message = a header frame
// (id u64 BE | packet u32 = 0 | total u32 | type UTF-8) and `total` data frames
// (id u64 BE | packet u32 = 1..total | ≤1024 bytes). Pure: no sockets here. Reassembly is strict:
// a frame out of order, for another id, or malformed is a FrameError that ends the connection,
// because the protocol has no way to resynchronise (§4.2).

/** Bytes of message data per data frame, as every MeshAgent client cuts them. */
export const PIECE_SIZE = 1024;
const HEADER_FRAME_BYTES = 16;
const DATA_FRAME_BYTES = 12;

export interface ProtocolMessage {
  /** u64 message id; a response reuses its request's id. */
  id: bigint;
  type: string;
  data: Buffer;
}

export class FrameError extends Error {
  /** The message exceeds the size limit (websocket close code 1009 rather than 1002). */
  readonly tooLarge: boolean;
  constructor(message: string, tooLarge = false) {
    super(message);
    this.name = "FrameError";
    this.tooLarge = tooLarge;
  }
}

/** All frames of one message, in the order they must be sent (back to back, nothing between). */
export function encodeMessage(message: ProtocolMessage): Buffer[] {
  const total = Math.ceil(message.data.length / PIECE_SIZE);
  const type = Buffer.from(message.type, "utf8");
  const header = Buffer.alloc(HEADER_FRAME_BYTES + type.length);
  header.writeBigUInt64BE(message.id, 0);
  header.writeUInt32BE(0, 8);
  header.writeUInt32BE(total, 12);
  type.copy(header, HEADER_FRAME_BYTES);
  const frames = [header];
  for (let index = 1; index <= total; index += 1) {
    const piece = message.data.subarray((index - 1) * PIECE_SIZE, index * PIECE_SIZE);
    const frame = Buffer.alloc(DATA_FRAME_BYTES + piece.length);
    frame.writeBigUInt64BE(message.id, 0);
    frame.writeUInt32BE(index, 8);
    piece.copy(frame, DATA_FRAME_BYTES);
    frames.push(frame);
  }
  return frames;
}

const typeDecoder = new TextDecoder("utf-8", { fatal: true });

interface Collecting {
  id: bigint;
  type: string;
  total: number;
  next: number;
  pieces: Buffer[];
  bytes: number;
}

/**
 * Joins incoming frames into messages. `push` returns the completed message, or null while one
 * is still being collected, and throws FrameError on any violation (the caller closes the socket).
 */
export class FrameAssembler {
  readonly #maxMessageBytes: number;
  #current: Collecting | null = null;

  constructor(maxMessageBytes: number) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  push(frame: Buffer): ProtocolMessage | null {
    if (frame.length < DATA_FRAME_BYTES) throw new FrameError(`frame of ${frame.length} bytes is shorter than a frame header`);
    const id = frame.readBigUInt64BE(0);
    const packet = frame.readUInt32BE(8);
    const current = this.#current;
    if (current === null) return this.#start(frame, id, packet);
    if (packet !== current.next) throw new FrameError(`expected packet ${current.next} of message ${current.id}, got packet ${packet}`);
    if (id !== current.id) throw new FrameError(`expected a frame of message ${current.id}, got one of message ${id}`);
    const piece = frame.subarray(DATA_FRAME_BYTES);
    if (piece.length === 0) throw new FrameError(`packet ${packet} of message ${id} carries no data`);
    current.bytes += piece.length;
    if (current.bytes > this.#maxMessageBytes) throw new FrameError(`message ${id} is larger than ${this.#maxMessageBytes} bytes`, true);
    current.pieces.push(piece);
    if (packet < current.total) {
      current.next += 1;
      return null;
    }
    this.#current = null;
    return { id, type: current.type, data: Buffer.concat(current.pieces, current.bytes) };
  }

  #start(frame: Buffer, id: bigint, packet: number): ProtocolMessage | null {
    if (packet !== 0) throw new FrameError(`expected a header frame (packet 0), got packet ${packet} of message ${id}`);
    if (frame.length < HEADER_FRAME_BYTES) throw new FrameError(`header frame of ${frame.length} bytes is shorter than 16 bytes`);
    const total = frame.readUInt32BE(12);
    let type: string;
    try {
      type = typeDecoder.decode(frame.subarray(HEADER_FRAME_BYTES));
    } catch {
      throw new FrameError(`message ${id} has a type that is not valid UTF-8`);
    }
    if (total === 0) return { id, type, data: Buffer.alloc(0) };
    if (total > this.#maxMessageBytes) throw new FrameError(`message ${id} announces ${total} data frames, more than allowed`, true);
    this.#current = { id, type, total, next: 1, pieces: [], bytes: 0 };
    return null;
  }
}
