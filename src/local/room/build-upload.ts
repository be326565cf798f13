// `containers.build` (room-protocol.md §8.3, §9.1): a streamed-input call. The start chunk names
// the tag and paths, data chunks carry the context tar, and once the client closes its input the
// build is submitted and the invoke answered `{build_id}`. The image is named by `tag` (npm 0.39.9)
// or `tags` (every client from 0.40.1); a strict 0.50.1 room refuses `tag` alone. Registry credentials are accepted and
// ignored (nothing is pushed) and never logged. The context bytes are held only until submitted.
import type { BuildJobs } from "../builds/build-jobs.js";
import { localPlatform, type LocalPlatform } from "../platform.js";
import { jsonContent, type ReceivedContent } from "./content.js";
import { invalidRequest } from "./tool-error.js";
import type { StreamCall, StreamSink, StreamTool } from "./tools.js";

/** The largest build context the local room accepts (it holds the context in memory). */
export const MAX_CONTEXT_BYTES = 512 * 1024 * 1024;

interface Start {
  tag: string;
  tags: string[];
  optimized: boolean;
  mountPath: string;
  contextPath: string;
  dockerfilePath: string | null;
  size: number | null;
}

export function buildTool(builds: BuildJobs, platform: LocalPlatform = localPlatform()): StreamTool {
  return { kind: "stream", open: (sink, room) => new BuildUpload(builds, platform, sink, room) };
}

class BuildUpload implements StreamCall {
  readonly #builds: BuildJobs;
  readonly #platform: LocalPlatform;
  readonly #sink: StreamSink;
  readonly #room: string;
  #start: Start | null = null;
  #pieces: Buffer[] = [];
  #bytes = 0;

  constructor(builds: BuildJobs, platform: LocalPlatform, sink: StreamSink, room: string) {
    this.#builds = builds;
    this.#platform = platform;
    this.#sink = sink;
    this.#room = room;
  }

  onChunk(chunk: ReceivedContent): void {
    if (chunk.type !== "binary") throw invalidRequest(`containers.build expects binary chunks, got ${chunk.type}`);
    const kind = chunk.headers.kind;
    if (kind === "start") {
      if (this.#start !== null) throw invalidRequest("containers.build got a second start chunk");
      this.#start = readStart(chunk.headers, this.#platform);
      return;
    }
    if (kind !== "data") throw invalidRequest(`containers.build chunk has an unknown kind ${JSON.stringify(kind)}`);
    if (this.#start === null) throw invalidRequest("containers.build got context data before its start chunk");
    this.#bytes += chunk.data.length;
    if (this.#bytes > MAX_CONTEXT_BYTES) throw invalidRequest(`the build context is larger than the local room's limit of ${MAX_CONTEXT_BYTES} bytes`);
    this.#pieces.push(chunk.data);
  }

  onInputClosed(): void {
    const start = this.#start;
    if (start === null) return this.#sink.fail(invalidRequest("containers.build input ended without a start chunk"));
    if (start.size !== null && start.size !== this.#bytes) {
      return this.#sink.fail(invalidRequest(`the start chunk announced ${start.size} context bytes but ${this.#bytes} arrived`));
    }
    const context = Buffer.concat(this.#pieces, this.#bytes);
    this.release();
    const record = this.#builds.submit(this.#room, { context, ...start });
    this.#sink.answer(jsonContent({ build_id: record.id }));
  }

  release(): void {
    this.#pieces = [];
    this.#bytes = 0;
  }
}

function readStart(headers: Record<string, unknown>, platform: LocalPlatform): Start {
  const { tag, tags } = platform.version === "0.39.9" ? tags039(headers) : tags050(headers, platform.buildTagAlone);
  const mountPath = optionalString(headers, "mount_path") ?? "/context";
  const size = headers.size;
  if (size !== undefined && size !== null && !(typeof size === "number" && Number.isSafeInteger(size) && size >= 0)) {
    throw invalidRequest(`containers.build "size" must be a non-negative integer or null`);
  }
  const optimize = headers.optimize_image;
  if (optimize !== undefined && optimize !== null && typeof optimize !== "boolean") throw invalidRequest(`containers.build "optimize_image" must be a boolean or null`);
  return {
    tag,
    tags,
    optimized: optimize === true,
    mountPath,
    contextPath: optionalString(headers, "context_path") ?? mountPath,
    dockerfilePath: optionalString(headers, "dockerfile_path"),
    size: typeof size === "number" ? size : null,
  };
}

/** npm 0.39.9 sends `tag`; newer SDKs send `tags` (platform-api.md §4): `tag` first, then the first of `tags`. */
function tags039(headers: Record<string, unknown>): { tag: string; tags: string[] } {
  const tags = Array.isArray(headers.tags) ? headers.tags : [];
  const tag = typeof headers.tag === "string" && headers.tag !== "" ? headers.tag : typeof tags[0] === "string" ? tags[0] : "";
  if (tag === "") throw invalidRequest(`containers.build start chunk needs a non-empty "tag"`);
  return { tag, tags: [tag] };
}

/** 0.50.1 clients send `tags: [..]` (`--latest` adds a second); `tag` alone only when lenient. */
function tags050(headers: Record<string, unknown>, tagAlone: boolean): { tag: string; tags: string[] } {
  const raw = headers.tags;
  if (raw !== undefined && raw !== null) {
    if (!Array.isArray(raw) || raw.length === 0 || raw.some((item) => typeof item !== "string" || item === "")) {
      throw invalidRequest(`containers.build "tags" must be a non-empty list of non-empty strings`);
    }
    const tags = [...new Set(raw as string[])];
    return { tag: tags[0] as string, tags };
  }
  if (!tagAlone) {
    throw invalidRequest(`containers.build start chunk needs "tags" (a non-empty list) at MeshAgent 0.50.1; "tag" alone is refused (this local room is strict)`);
  }
  const tag = typeof headers.tag === "string" ? headers.tag : "";
  if (tag === "") throw invalidRequest(`containers.build start chunk needs a non-empty "tags" list`);
  return { tag, tags: [tag] };
}

function optionalString(headers: Record<string, unknown>, field: string): string | null {
  const value = headers[field];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalidRequest(`containers.build "${field}" must be a string or null`);
  return value;
}
