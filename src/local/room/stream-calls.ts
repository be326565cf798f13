// Bookkeeping of one connection's open stream calls (room-protocol.md §8), keyed by tool_call_id:
// who has been answered, which output is still open, and the rules that keep the official client
// from hanging — every request chunk gets exactly one answer, a rejected chunk also fails the
// invoke (§8.1), the client's close chunk ends the response stream (pitfall 2), and a call that
// ends unanswered is answered with an error (pitfall 4). Knows nothing about sockets or frames.
import { controlContent, emptyContent, errorContent, type Content, type ReceivedContent } from "./content.js";
import { asToolError, ToolError } from "./tool-error.js";
import type { StreamCall, StreamSink } from "./tools.js";

/** How stream calls reach the client: `__response__` by request id, and response chunks by call. */
export interface StreamWire {
  respond(requestId: bigint, content: Content): void;
  chunk(toolCallId: string, content: Content): void;
}

interface OpenCall {
  invokeId: bigint;
  answered: boolean;
  streaming: boolean;
  outputClosed: boolean;
  handler: StreamCall;
}

const IDLE_CALL: StreamCall = { onChunk: () => undefined, onInputClosed: () => undefined, release: () => undefined };

export class StreamCalls {
  readonly #wire: StreamWire;
  readonly #calls = new Map<string, OpenCall>();

  constructor(wire: StreamWire) {
    this.#wire = wire;
  }

  has(toolCallId: string): boolean {
    return this.#calls.has(toolCallId);
  }

  open(invokeId: bigint, toolCallId: string, open: (sink: StreamSink) => StreamCall): void {
    const live = (): OpenCall | undefined => this.#calls.get(toolCallId);
    const sink: StreamSink = {
      answer: (content) => {
        const call = live();
        if (call === undefined || call.answered) return;
        call.answered = true;
        call.streaming = content.header.type === "control" && content.header.method === "open";
        this.#wire.respond(call.invokeId, content);
      },
      chunk: (content) => {
        const call = live();
        if (call !== undefined && call.streaming && !call.outputClosed) this.#wire.chunk(toolCallId, content);
      },
      closeOutput: () => {
        const call = live();
        if (call !== undefined && call.streaming && !call.outputClosed) this.#closeOutput(toolCallId, call);
      },
      fail: (error) => this.#fail(toolCallId, error),
    };
    // Registered before the tool opens (with a no-op handler), so the sink works from inside `open`.
    const call: OpenCall = { invokeId, answered: false, streaming: false, outputClosed: false, handler: IDLE_CALL };
    this.#calls.set(toolCallId, call);
    call.handler = open(sink);
  }

  /** Answers the request chunk `requestId` and routes it to its call. */
  chunk(requestId: bigint, toolCallId: unknown, chunk: ReceivedContent): void {
    const call = typeof toolCallId === "string" ? this.#calls.get(toolCallId) : undefined;
    if (chunk.type === "control" && chunk.method === "close") {
      this.#wire.respond(requestId, emptyContent());
      if (call !== undefined) this.#end(toolCallId as string, call);
      return;
    }
    if (call === undefined) {
      this.#wire.respond(requestId, errorContent(new ToolError("NOT_FOUND", `no open tool call "${String(toolCallId)}"`)));
      return;
    }
    let after: void | (() => void);
    try {
      after = call.handler.onChunk(chunk);
    } catch (error) {
      const failure = asToolError(error);
      this.#wire.respond(requestId, errorContent(failure));
      this.#fail(toolCallId as string, failure);
      return;
    }
    this.#wire.respond(requestId, emptyContent());
    after?.();
  }

  /** The connection is gone: every call releases what it holds. */
  releaseAll(): void {
    const calls = [...this.#calls.values()];
    this.#calls.clear();
    for (const call of calls) call.handler.release();
  }

  /** The input closed: let the tool finish, and never leave the invoke or the stream hanging. */
  #end(toolCallId: string, call: OpenCall): void {
    call.handler.onInputClosed();
    if (this.#calls.get(toolCallId) !== call) return; // the tool failed the call itself
    if (!call.answered) return this.#fail(toolCallId, new ToolError("OPERATION_FAILED", "the tool call ended without an answer"));
    if (call.streaming && !call.outputClosed) this.#closeOutput(toolCallId, call);
    this.#calls.delete(toolCallId);
    call.handler.release();
  }

  #fail(toolCallId: string, error: ToolError): void {
    const call = this.#calls.get(toolCallId);
    if (call === undefined) return;
    if (!call.answered) {
      call.answered = true;
      this.#wire.respond(call.invokeId, errorContent(error));
    } else if (call.streaming && !call.outputClosed) {
      this.#wire.chunk(toolCallId, errorContent(error));
      this.#closeOutput(toolCallId, call);
    }
    this.#calls.delete(toolCallId);
    call.handler.release();
  }

  #closeOutput(toolCallId: string, call: OpenCall): void {
    this.#wire.chunk(toolCallId, controlContent("close"));
    call.outputClosed = true;
  }
}
