// `containers.get_build_logs` (room-protocol.md §8.2, §9.2): the start chunk names the build; the
// invoke is answered `control open` (or an error for an unknown build), then every log line goes
// out as one channel-1 chunk ending in "\n", the exit status as a channel-3 `{"status":n}` chunk
// once the build has finished, and `control close` last. With follow the stream stays open until
// the build ends. The client's close chunk ends the stream at once (pitfall 2).
import { isFinished, type BuildEvent, type BuildJobs } from "../builds/build-jobs.js";
import { binaryContent, controlContent, type ReceivedContent } from "./content.js";
import { invalidRequest, ToolError } from "./tool-error.js";
import type { StreamCall, StreamSink, StreamTool } from "./tools.js";

export function buildLogsTool(builds: BuildJobs): StreamTool {
  return { kind: "stream", open: (sink, room) => new BuildLogStream(builds, sink, room) };
}

class BuildLogStream implements StreamCall {
  readonly #builds: BuildJobs;
  readonly #sink: StreamSink;
  readonly #room: string;
  #started = false;
  #unsubscribe: () => void = () => undefined;

  constructor(builds: BuildJobs, sink: StreamSink, room: string) {
    this.#builds = builds;
    this.#sink = sink;
    this.#room = room;
  }

  onChunk(chunk: ReceivedContent): () => void {
    if (this.#started) throw invalidRequest("containers.get_build_logs takes a single start chunk");
    if (chunk.type !== "binary" || chunk.headers.kind !== "start") throw invalidRequest("containers.get_build_logs expects a binary start chunk");
    const buildId = chunk.headers.build_id;
    if (typeof buildId !== "string" || buildId === "") throw invalidRequest(`containers.get_build_logs needs a "build_id"`);
    const follow = chunk.headers.follow !== false;
    this.#started = true;
    return () => this.#stream(buildId, follow);
  }

  #stream(buildId: string, follow: boolean): void {
    const build = this.#builds.get(buildId);
    if (build === undefined || build.room !== this.#room) {
      this.#sink.fail(new ToolError("NOT_FOUND", `build not found: ${buildId}`));
      return;
    }
    this.#sink.answer(controlContent("open"));
    for (const line of build.logs) this.#line(line);
    if (isFinished(build.status)) return this.#end(build.exit_code);
    if (!follow) return this.#sink.closeOutput();
    // Lines and the end arrive synchronously from BuildJobs, so nothing falls between the replay and this.
    this.#unsubscribe = this.#builds.subscribe(buildId, (event: BuildEvent) => {
      if (event.type === "line") this.#line(event.line);
      else this.#end(event.exitCode);
    });
  }

  #line(line: string): void {
    this.#sink.chunk(binaryContent({ channel: 1 }, Buffer.from(`${line}\n`, "utf8")));
  }

  /** Channel 3 only for a build that has an exit code (a cancelled one has none), then close. */
  #end(exitCode: number | null): void {
    if (exitCode !== null) this.#sink.chunk(binaryContent({ channel: 3 }, Buffer.from(JSON.stringify({ status: exitCode }), "utf8")));
    this.#sink.closeOutput();
  }

  onInputClosed(): void {
    this.#unsubscribe();
    this.#sink.closeOutput();
  }

  release(): void {
    this.#unsubscribe();
  }
}
