// Test helper: a bare websocket speaking the room framing with our own codec, for the protocol
// details the official client hides (ids, acks, error codes, close codes, refusals).
import WebSocket, { type ClientOptions } from "ws";
import { packEnvelope, unpackEnvelope } from "../../src/local/room/envelope.js";
import { encodeMessage, FrameAssembler } from "../../src/local/room/frames.js";

export interface Received {
  id: bigint;
  type: string;
  header: Record<string, unknown>;
  payload: Buffer;
}

export class RawRoomSocket {
  readonly socket: WebSocket;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Length of every frame received, in order. */
  readonly frameSizes: number[] = [];
  readonly #assembler = new FrameAssembler(1 << 26);
  readonly #queue: Received[] = [];
  #waiting: ((message: Received) => void) | null = null;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on("message", (data: Buffer) => {
      this.frameSizes.push(data.length);
      const message = this.#assembler.push(data);
      if (message === null) return;
      const { header, payload } = unpackEnvelope(message.data);
      const received = { id: message.id, type: message.type, header, payload };
      if (this.#waiting !== null) {
        const resolve = this.#waiting;
        this.#waiting = null;
        resolve(received);
      } else this.#queue.push(received);
    });
  }

  static open(url: string, options: ClientOptions = {}): Promise<RawRoomSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, options);
      socket.once("open", () => resolve(new RawRoomSocket(socket)));
      socket.once("error", reject);
    });
  }

  next(): Promise<Received> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  send(id: bigint, type: string, header: Record<string, unknown>, payload?: Buffer): void {
    for (const frame of encodeMessage({ id, type, data: packEnvelope(header, payload) })) this.socket.send(frame);
  }

  /** Sends a request and waits for the next message (tests send one request at a time). */
  async request(id: bigint, type: string, header: Record<string, unknown>, payload?: Buffer): Promise<Received> {
    this.send(id, type, header, payload);
    return this.next();
  }
}

/** The HTTP status the server answers an upgrade with (101 when it accepts). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once("open", () => {
      socket.close(1000);
      resolve({ status: 101, body: "" });
    });
    socket.once("unexpected-response", (_request, response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString()));
      response.on("end", () => {
        resolve({ status: response.statusCode ?? 0, body });
        socket.terminate();
      });
    });
    socket.on("error", (error) => {
      if (!/Unexpected server response|closed before the connection/.test(error.message)) reject(error);
    });
  });
}
