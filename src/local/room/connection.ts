// One room websocket, from handshake to close (room-protocol.md §3–§8): sends `room_ready` and
// `connected`, reassembles frames into messages, runs unary tools, hands stream calls and their
// request chunks to StreamCalls, and answers every request, also unknown ones (an unanswered
// request hangs the official client forever: pitfall 4). All frames of a message are written in
// one synchronous loop, so messages never interleave (pitfall 6).
import type { RawData, WebSocket } from "ws";
import { InjectedDrop } from "../faults/drop.js";
import { errorContent, readContent, type Content } from "./content.js";
import { packEnvelope, unpackEnvelope, type Envelope } from "./envelope.js";
import { encodeMessage, FrameAssembler, FrameError, type ProtocolMessage } from "./frames.js";
import { StreamCalls } from "./stream-calls.js";
import { asToolError, invalidRequest, ToolError } from "./tool-error.js";
import type { ToolRegistry } from "./tools.js";

export interface ConnectionOptions {
  room: string;
  roomUrl: string;
  tools: ToolRegistry;
  sessionId: string;
  participantId: string;
  /** Largest reassembled message accepted; a bigger one ends the connection (code 1009). */
  maxMessageBytes: number;
}

const OPEN = 1; // WebSocket.OPEN, without importing the runtime class into this module.

export class RoomConnection {
  /** Resolves when the socket has closed. */
  readonly closed: Promise<void>;
  readonly #socket: WebSocket;
  readonly #options: ConnectionOptions;
  readonly #assembler: FrameAssembler;
  readonly #calls: StreamCalls;
  #nextId = 0n;
  #alive = true;

  constructor(socket: WebSocket, options: ConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#assembler = new FrameAssembler(options.maxMessageBytes);
    this.#calls = new StreamCalls({
      respond: (requestId, content) => this.#respond(requestId, content),
      chunk: (toolCallId, content) => this.#send("room.tool_call_response_chunk", { tool_call_id: toolCallId, chunk: content.header }, content.payload),
    });
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("message", (data, isBinary) => this.#onFrame(data, isBinary));
    socket.on("close", () => this.#calls.releaseAll());
    socket.on("error", () => undefined); // a close event always follows
    socket.on("pong", () => {
      this.#alive = true;
    });
    this.#sendEvent("room_ready", { room_name: options.room, room_url: options.roomUrl, session_id: options.sessionId });
    this.#sendEvent("connected", { type: "init", participantId: options.participantId, attributes: { name: "meshdeploy-local" } });
  }

  /** Pings the client; a client that did not answer the previous ping is dropped. */
  heartbeat(): void {
    if (!this.#alive) {
      this.#socket.terminate();
      return;
    }
    this.#alive = false;
    if (this.#socket.readyState === OPEN) this.#socket.ping();
  }

  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }

  terminate(): void {
    this.#socket.terminate();
  }

  #onFrame(data: RawData, isBinary: boolean): void {
    if (!isBinary) {
      this.#socket.close(1003, "the room protocol uses binary frames only");
      return;
    }
    const frame = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    let message: ProtocolMessage | null;
    try {
      message = this.#assembler.push(frame);
    } catch (error) {
      const tooLarge = error instanceof FrameError && error.tooLarge;
      this.#socket.close(tooLarge ? 1009 : 1002, (error as Error).message.slice(0, 120));
      return;
    }
    if (message !== null) this.#onMessage(message);
  }

  #onMessage(message: ProtocolMessage): void {
    let envelope: Envelope;
    try {
      envelope = unpackEnvelope(message.data);
    } catch (error) {
      this.#respond(message.id, errorContent(invalidRequest((error as Error).message)));
      return;
    }
    switch (message.type) {
      case "room.invoke_tool":
        return this.#onInvoke(message.id, envelope);
      case "room.tool_call_request_chunk":
        return this.#calls.chunk(message.id, envelope.header.tool_call_id, readContent(envelope.header.chunk, envelope.payload));
      default:
        return this.#respond(message.id, errorContent(invalidRequest(`message type "${message.type}" is not supported by the local room`)));
    }
  }

  #onInvoke(id: bigint, { header, payload }: Envelope): void {
    const { toolkit, tool, tool_call_id: toolCallId } = header;
    if (typeof toolkit !== "string" || typeof tool !== "string") {
      this.#respond(id, errorContent(invalidRequest(`room.invoke_tool needs string "toolkit" and "tool" fields`)));
      return;
    }
    const name = `${toolkit}.${tool}`;
    const found = this.#options.tools.get(name);
    const args = readContent(header.arguments, payload);
    if (args.type === "control" && args.method === "open") {
      if (typeof toolCallId !== "string" || toolCallId === "") {
        this.#respond(id, errorContent(invalidRequest(`a streamed call to ${name} needs a "tool_call_id"`)));
      } else if (this.#calls.has(toolCallId)) {
        this.#respond(id, errorContent(new ToolError("CONFLICT", `tool call "${toolCallId}" is already open`)));
      } else if (found?.kind !== "stream") {
        const problem = found === undefined ? `unknown tool ${name}` : `${name} does not take streamed input`;
        this.#respond(id, errorContent(new ToolError(found === undefined ? "NOT_FOUND" : "INVALID_REQUEST", problem)));
      } else {
        this.#calls.open(id, toolCallId, (sink) => found.open(sink, this.#options.room));
      }
      return;
    }
    if (found === undefined) {
      this.#respond(id, errorContent(new ToolError("NOT_FOUND", `unknown tool ${name}`)));
      return;
    }
    if (found.kind === "stream") {
      this.#respond(id, errorContent(invalidRequest(`${name} needs streamed input (arguments: control open)`)));
      return;
    }
    const binary = args.type === "binary" && found.binary === true ? args : null;
    const input = binary !== null ? binary.headers : args.type === "empty" || (args.type === "json" && args.json === null) ? {} : args.type === "json" ? args.json : undefined;
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      this.#respond(id, errorContent(invalidRequest(`${name} expects a JSON object as arguments`)));
      return;
    }
    Promise.resolve()
      .then(() => found.run(input as Record<string, unknown>, this.#options.room, binary?.data))
      .then(
        (content) => this.#respond(id, content),
        // An injected drop (src/local/faults) cuts the socket instead of answering.
        (error: unknown) => (error instanceof InjectedDrop ? this.#socket.terminate() : this.#respond(id, errorContent(asToolError(error)))),
      );
  }

  #respond(id: bigint, content: Content): void {
    this.#write({ id, type: "__response__", data: packEnvelope(content.header, content.payload) });
  }

  #sendEvent(type: string, header: Record<string, unknown>): void {
    this.#send(type, header, Buffer.alloc(0));
  }

  #send(type: string, header: Record<string, unknown>, payload: Buffer): void {
    this.#write({ id: this.#nextId++, type, data: packEnvelope(header, payload) });
  }

  /** Every frame of the message in one synchronous loop: nothing can slip in between. */
  #write(message: ProtocolMessage): void {
    if (this.#socket.readyState !== OPEN) return;
    for (const frame of encodeMessage(message)) this.#socket.send(frame);
  }
}
