// A watch session over a real temp project and a real local room on a random loopback port.
// Reports are collected in order; tests wait for the report they expect (never for a duration).
// Service writes can be held behind a gate, so "an edit while a cycle runs" is certain.
import { mkdir, mkdtemp, realpath, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../../src/config/load.js";
import { startLocalRoom, type LocalRoom } from "../../../src/local/server.js";
import { MeshagentTarget } from "../../../src/platform/meshagent-target.js";
import type { Target } from "../../../src/platform/target.js";
import type { Targets } from "../../../src/model/targets.js";
import { runWatch, type WatchOptions, type WatchReport } from "../../../src/loops/watch/session.js";

const TOKEN = "watch-test-token-0123456789";

export type CycleEnd = Extract<WatchReport, { type: "cycleEnd" }>;

export interface WatchProject {
  dir: string;
  room: LocalRoom;
  reports: WatchReport[];
  /** Writes files (relative to the project), creating directories. */
  write(files: Record<string, string>): Promise<void>;
  /** The first report from index `from` on that matches. */
  next<T extends WatchReport>(match: (r: WatchReport) => r is T, from?: number): Promise<T>;
  cycleEnd(cycle: number): Promise<CycleEnd>;
  /** Holds every service write (create/update/delete) until the returned function is called. */
  holdWrites(): () => void;
  /** Called with each report as it happens (synchronously, inside the session). */
  onReport: ((r: WatchReport) => void) | null;
  /** Ctrl-C: resolves when the session has returned. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

export interface ProjectOptions {
  files: Record<string, string>;
  debounceMs?: number;
  prune?: boolean;
  stopGraceMs?: number;
  /** Variables for `${VAR}` in the config. */
  env?: Record<string, string>;
  /** `-e NAME` for a config with environments. */
  environment?: string;
  /** `--service`/`--room`/`--exclude`. */
  targets?: Targets;
}

export async function startWatchProject(options: ProjectOptions): Promise<WatchProject> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), "meshdeploy-watch-")));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-watch-room-"));
  const room = await startLocalRoom({ dataDir, token: TOKEN, port: 0, rooms: ["dev"], startDelayMs: 20 });
  const real = new MeshagentTarget({ apiUrl: room.url, token: TOKEN, projectId: "local" });
  let gate: Promise<void> | null = null;
  const held = new Set(["createService", "updateService", "deleteService"]);
  const target = new Proxy(real, {
    get(t, prop) {
      const value = Reflect.get(t, prop, t) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(t);
      if (!held.has(String(prop))) return bound;
      return async (...args: unknown[]) => {
        if (gate) await gate;
        return bound(...args);
      };
    },
  }) as Target;
  const controller = new AbortController();
  const reports: WatchReport[] = [];
  let waiters: (() => void)[] = [];
  const write = async (files: Record<string, string>): Promise<void> => {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), text);
    }
  };
  await write(options.files);
  const project: WatchProject = {
    dir,
    room,
    reports,
    write,
    onReport: null,
    async next(match, from = 0) {
      for (;;) {
        const found = reports.slice(from).find(match);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    cycleEnd(cycle) {
      return project.next((r): r is CycleEnd => r.type === "cycleEnd" && r.cycle === cycle);
    },
    holdWrites() {
      let release = (): void => {};
      gate = new Promise<void>((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
    async stop() {
      controller.abort();
      await session;
    },
    async close() {
      if (!controller.signal.aborted) await project.stop();
      await real.close();
      await room.close();
      await rm(dir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  const watchOptions: WatchOptions = {
    target,
    createRooms: true,
    configEnv: options.env ?? {},
    desired: await loadConfig(path.join(dir, ".meshdeploy.yaml"), { env: options.env ?? {}, ...(options.environment === undefined ? {} : { environment: options.environment }) }),
    debounceMs: options.debounceMs ?? 100,
    prune: options.prune ?? false,
    ...(options.targets === undefined ? {} : { targets: options.targets }),
    run: { concurrency: 4, wait: true, waitTimeoutMs: 20_000, pollIntervalMs: 25 },
    signal: controller.signal,
    stopGraceMs: options.stopGraceMs ?? 10_000,
    onReport: (r) => {
      reports.push(r);
      project.onReport?.(r);
      const wake = waiters;
      waiters = [];
      for (const w of wake) w();
    },
  };
  const session = runWatch(watchOptions);
  return project;
}

/**
 * `work`, or a failure after `ms`: for a wait that hangs when the behaviour under test is broken,
 * so the test fails with `what` and its `finally` still closes the project.
 */
export async function deadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (nothing after ${ms} ms)`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Tags of the builds the room recorded from index `from` on. */
export function builtTags(room: LocalRoom, from: number): string[] {
  return room
    .builds()
    .slice(from)
    .map((b) => b.tag.replace(/^registry\.meshagent\.com\/local\//, ""))
    .sort();
}

/** The trigger files of a cycle, relative to the project. */
export function triggerFiles(end: CycleEnd, dir: string): string[] {
  return (end.trigger?.files ?? []).map((f) => path.relative(dir, f) + (f.endsWith("/") ? "/" : "")).sort();
}
