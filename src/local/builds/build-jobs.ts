// Build records and their progress: `containers.build` submits a context, the check runs on a
// later tick (queued → running → succeeded | failed), log lines and the end are pushed to
// subscribers (`get_build_logs` with follow), and a successful build's image is recorded through
// `recordImage` (the store persists it). Records live in memory only; the context bytes are
// dropped as soon as the check has read them.
import type { ImageRecord } from "../state.js";
import { checkBuild, type BuildInput, type BuildOutcome } from "./check-build.js";

export type BuildStatus = "queued" | "running" | "failed" | "cancelled" | "succeeded";

export interface BuildRecord {
  id: string;
  room: string;
  /** The tag that names the build (the first of `tags`). */
  tag: string;
  /** Every tag the build publishes: `[tag]` from a 0.39.9 start chunk, the start chunk's `tags` at 0.50.1. */
  tags: string[];
  /** The start chunk's `optimize_image` (reported in 0.50.1 `published_images`). */
  optimized: boolean;
  status: BuildStatus;
  exit_code: number | null;
  logs: string[];
  /** The image digest, once the build succeeded. */
  digest: string | null;
  created_at: string;
}

export type BuildEvent = { type: "line"; line: string } | { type: "end"; status: BuildStatus; exitCode: number | null };

export interface BuildJobsOptions {
  newId: () => string;
  now?: () => Date;
  /** Makes a successful build's image durable; when it rejects the build fails. */
  recordImage: (image: ImageRecord) => Promise<void>;
  /** Oldest finished records beyond this many are forgotten. Default KEEP_FINISHED_BUILDS. */
  keep?: number;
}

interface Job {
  record: BuildRecord;
  listeners: Set<(event: BuildEvent) => void>;
}

/**
 * Finished build records kept by default. `containers.list_builds` answers with all of them and
 * every deploy of a built service reads that list for its digest, so a long `watch --local` (one
 * build per cycle) must not grow it: 100 is far more than a deploy looks back.
 */
export const KEEP_FINISHED_BUILDS = 100;

export function isFinished(status: BuildStatus): boolean {
  return status === "failed" || status === "cancelled" || status === "succeeded";
}

export class BuildJobs {
  readonly #options: BuildJobsOptions;
  readonly #jobs = new Map<string, Job>();

  constructor(options: BuildJobsOptions) {
    this.#options = options;
  }

  /** Records a queued build and starts checking it on a later tick. */
  submit(room: string, input: BuildInput & { tags?: readonly string[]; optimized?: boolean }): BuildRecord {
    const record: BuildRecord = {
      id: this.#options.newId(),
      room,
      tag: input.tag,
      tags: input.tags === undefined || input.tags.length === 0 ? [input.tag] : [...input.tags],
      optimized: input.optimized ?? false,
      status: "queued",
      exit_code: null,
      logs: [],
      digest: null,
      created_at: (this.#options.now?.() ?? new Date()).toISOString(),
    };
    const job: Job = { record, listeners: new Set() };
    this.#jobs.set(record.id, job);
    this.#forgetOld();
    setImmediate(() => {
      if (job.record.status !== "queued") return;
      job.record.status = "running";
      void this.#complete(job, check(input));
    });
    return copy(record);
  }

  get(id: string): BuildRecord | undefined {
    const job = this.#jobs.get(id);
    return job === undefined ? undefined : copy(job.record);
  }

  /** Records in submission order, optionally of one room only. */
  list(room?: string): BuildRecord[] {
    return this.records(room).map(copy);
  }

  /** The records themselves (not copies, so their logs are not copied): for answers that only read them. */
  records(room?: string): readonly Readonly<BuildRecord>[] {
    return [...this.#jobs.values()].filter((job) => room === undefined || job.record.room === room).map((job) => job.record);
  }

  /** Calls `listener` for every later line and for the end; returns the unsubscribe function. */
  subscribe(id: string, listener: (event: BuildEvent) => void): () => void {
    const job = this.#jobs.get(id);
    if (job === undefined || isFinished(job.record.status)) return () => undefined;
    job.listeners.add(listener);
    return () => job.listeners.delete(listener);
  }

  /** Cancels the builds that have not finished. */
  close(): void {
    for (const job of this.#jobs.values()) if (!isFinished(job.record.status)) this.#end(job, "cancelled", null);
  }

  async #complete(job: Job, outcome: BuildOutcome): Promise<void> {
    for (const line of outcome.lines) this.#line(job, line);
    if (outcome.exitCode !== 0) return this.#end(job, "failed", outcome.exitCode);
    const { record } = job;
    try {
      const createdAt = new Date().toISOString();
      for (const tag of record.tags) await this.#options.recordImage({ tag, digest: outcome.digest, build_id: record.id, created_at: createdAt });
    } catch (error) {
      this.#line(job, `error: the image could not be recorded: ${(error as Error).message}`);
      return this.#end(job, "failed", 1);
    }
    record.digest = outcome.digest;
    this.#end(job, "succeeded", 0);
  }

  #line(job: Job, line: string): void {
    if (isFinished(job.record.status)) return;
    job.record.logs.push(line);
    for (const listener of job.listeners) listener({ type: "line", line });
  }

  #end(job: Job, status: BuildStatus, exitCode: number | null): void {
    if (isFinished(job.record.status)) return;
    job.record.status = status;
    job.record.exit_code = exitCode;
    const listeners = [...job.listeners];
    job.listeners.clear();
    for (const listener of listeners) listener({ type: "end", status, exitCode });
  }

  #forgetOld(): void {
    const keep = this.#options.keep ?? KEEP_FINISHED_BUILDS;
    for (const [id, job] of this.#jobs) {
      if (this.#jobs.size <= keep) return;
      if (isFinished(job.record.status)) this.#jobs.delete(id);
    }
  }
}

function check(input: BuildInput): BuildOutcome {
  try {
    return checkBuild(input);
  } catch (error) {
    return { lines: [`error: internal error while checking the build: ${(error as Error).message}`], exitCode: 1, digest: "" };
  }
}

function copy(record: Readonly<BuildRecord>): BuildRecord {
  return { ...record, tags: [...record.tags], logs: [...record.logs] };
}
