// `containers.logs` (platform-api.md §6; the client is `room.containers.logs` in npm@0.39.9
// containers-client.js): the start chunk `{kind:"start", request_id, container_id, follow}` names
// the container; the invoke is answered `control open` (or error 6001 CONTAINER_NOT_FOUND), then
// every log line goes out as one channel-1 chunk ending in "\n" and `control close` ends the
// stream, which is what resolves the client's `result` (there is no status chunk for container
// logs). Channel 2 (stderr) is never sent: the 0.39.9 TS client skips every channel but 1, so
// lines sent there would be invisible. Without follow the stream closes after the lines that exist;
// with follow it stays open until the container stops. The client's close chunk ends the stream at
// once (pitfall 2).
import type { ContainerLogEvent, ContainerLogReader } from "../runtime/container-log-buffer.js";
import { binaryContent, controlContent, type ReceivedContent } from "./content.js";
import { invalidRequest, ToolError } from "./tool-error.js";
import type { StreamCall, StreamSink, StreamTool } from "./tools.js";

export function containerLogsTool(logs: ContainerLogReader): StreamTool {
  return { kind: "stream", open: (sink, room) => new ContainerLogStream(logs, sink, room) };
}

class ContainerLogStream implements StreamCall {
  readonly #logs: ContainerLogReader;
  readonly #sink: StreamSink;
  readonly #room: string;
  #started = false;
  #unsubscribe: () => void = () => undefined;

  constructor(logs: ContainerLogReader, sink: StreamSink, room: string) {
    this.#logs = logs;
    this.#sink = sink;
    this.#room = room;
  }

  onChunk(chunk: ReceivedContent): () => void {
    if (this.#started) throw invalidRequest("containers.logs takes a single start chunk");
    if (chunk.type !== "binary" || chunk.headers.kind !== "start") throw invalidRequest("containers.logs expects a binary start chunk");
    const containerId = chunk.headers.container_id;
    if (typeof containerId !== "string" || containerId === "") throw invalidRequest(`containers.logs needs a "container_id"`);
    // The client sends a boolean and defaults to false; anything else means no follow.
    const follow = chunk.headers.follow === true;
    this.#started = true;
    return () => this.#stream(containerId, follow);
  }

  #stream(containerId: string, follow: boolean): void {
    const log = this.#logs.read(this.#room, containerId);
    if (log === undefined) {
      this.#sink.fail(new ToolError("CONTAINER_NOT_FOUND", `container not found: ${containerId}`));
      return;
    }
    this.#sink.answer(controlContent("open"));
    for (const line of log.lines) this.#line(line);
    if (!follow || log.stopped) return this.#sink.closeOutput();
    // Lines and the end arrive synchronously from the lifecycle, so nothing falls between the replay and this.
    this.#unsubscribe = this.#logs.follow(this.#room, containerId, (event: ContainerLogEvent) => {
      if (event.type === "line") this.#line(event.line);
      else this.#sink.closeOutput();
    });
  }

  #line(line: string): void {
    this.#sink.chunk(binaryContent({ channel: 1 }, Buffer.from(`${line}\n`, "utf8")));
  }

  onInputClosed(): void {
    this.#unsubscribe();
    this.#sink.closeOutput();
  }

  release(): void {
    this.#unsubscribe();
  }
}
