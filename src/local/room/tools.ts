// The contract between the room connection and the tools it serves. A tool is either unary
// (JSON arguments in, one Content out) or a stream call (arguments `control open`, then request
// chunks, an invoke answer and optionally response chunks: room-protocol.md §7–§8). Tools never
// see sockets or frames; the connection never knows what a tool does.
import type { Content, ReceivedContent } from "./content.js";
import type { ToolError } from "./tool-error.js";

export interface UnaryTool {
  kind: "unary";
  /** Also takes binary arguments (its headers become `input`, its payload `data`), e.g. secrets.set_secret. */
  binary?: boolean;
  /** `room` is the room the connection belongs to. Throw ToolError to answer with an error. */
  run(input: Record<string, unknown>, room: string, data?: Buffer): Content | Promise<Content>;
}

/** What a stream call can send back. Every method is safe to call at any time, and only acts once. */
export interface StreamSink {
  /** Answers the invoke (the first answer wins). */
  answer(content: Content): void;
  /** Sends one response chunk, unless the output is already closed. */
  chunk(content: Content): void;
  /** Ends the response stream with `control close`. */
  closeOutput(): void;
  /** Fails the call: answers the invoke with the error, or (once streaming) sends it as a chunk and closes. */
  fail(error: ToolError): void;
}

export interface StreamCall {
  /**
   * A request chunk other than `control close`. Throw ToolError to reject it (the call then fails);
   * return a function to run once the chunk has been acknowledged.
   */
  onChunk(chunk: ReceivedContent): void | (() => void);
  /** The client closed its input with `control close` (it may already have its answer). */
  onInputClosed(): void;
  /** The call is over (input closed, failed, or the connection went away): drop buffers and subscriptions. */
  release(): void;
}

export interface StreamTool {
  kind: "stream";
  open(sink: StreamSink, room: string): StreamCall;
}

export type RoomTool = UnaryTool | StreamTool;

/** Tools by `toolkit.tool`, e.g. `containers.build`. */
export type ToolRegistry = ReadonlyMap<string, RoomTool>;
