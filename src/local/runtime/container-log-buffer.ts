// The synthetic logs of the local room's imaginary containers, read by `containers.logs`
// (room/container-logs.ts). Each container keeps its newest `maxLines` lines; followers hear every
// later line and, once, the end when the container stops for good (replaced by a new container,
// its service deleted, or the room closing). A stopped container's log stays readable until
// `maxStopped` newer containers have stopped. Knows nothing about services, timers or sockets.

export type ContainerLogEvent = { type: "line"; line: string } | { type: "end" };

export interface ContainerLogView {
  lines: readonly string[];
  stopped: boolean;
}

/** What `containers.logs` needs: a snapshot, and the lines after it. */
export interface ContainerLogReader {
  /** A copy of the container's log, or undefined when the room has no such container. */
  read(room: string, containerId: string): ContainerLogView | undefined;
  /** Calls `listener` for every later line and for the end; returns the unsubscribe function. */
  follow(room: string, containerId: string, listener: (event: ContainerLogEvent) => void): () => void;
}

export interface ContainerLogsOptions {
  maxLines?: number;
  maxStopped?: number;
}

interface Log {
  lines: string[];
  stopped: boolean;
  listeners: Set<(event: ContainerLogEvent) => void>;
}

export class ContainerLogs implements ContainerLogReader {
  readonly #maxLines: number;
  readonly #maxStopped: number;
  readonly #logs = new Map<string, Log>();
  /** Keys of stopped containers, oldest first. */
  readonly #stopped: string[] = [];

  constructor(options: ContainerLogsOptions = {}) {
    this.#maxLines = options.maxLines ?? 200;
    this.#maxStopped = options.maxStopped ?? 100;
  }

  /** A new, running container with an empty log (an existing log of the same id is kept). */
  open(room: string, containerId: string): void {
    const key = keyOf(room, containerId);
    if (!this.#logs.has(key)) this.#logs.set(key, { lines: [], stopped: false, listeners: new Set() });
  }

  /** Appends one line per line of `text` (a final line end adds none); ignored once the container has stopped. */
  append(room: string, containerId: string, text: string): void {
    const log = this.#logs.get(keyOf(room, containerId));
    if (log === undefined || log.stopped) return;
    for (const line of text.replace(/\r?\n$/, "").split(/\r?\n/)) {
      log.lines.push(line);
      if (log.lines.length > this.#maxLines) log.lines.splice(0, log.lines.length - this.#maxLines);
      for (const listener of [...log.listeners]) listener({ type: "line", line });
    }
  }

  /** The container is gone for good: followers get the end; the log stays readable for a while. */
  stop(room: string, containerId: string): void {
    const key = keyOf(room, containerId);
    const log = this.#logs.get(key);
    if (log === undefined || log.stopped) return;
    end(log);
    this.#stopped.push(key);
    while (this.#stopped.length > this.#maxStopped) this.#logs.delete(this.#stopped.shift()!);
  }

  /** Ends every follower (the room is closing); every log stays readable. */
  stopAll(): void {
    for (const log of this.#logs.values()) if (!log.stopped) end(log);
  }

  read(room: string, containerId: string): ContainerLogView | undefined {
    const log = this.#logs.get(keyOf(room, containerId));
    return log === undefined ? undefined : { lines: [...log.lines], stopped: log.stopped };
  }

  follow(room: string, containerId: string, listener: (event: ContainerLogEvent) => void): () => void {
    const log = this.#logs.get(keyOf(room, containerId));
    if (log === undefined || log.stopped) {
      listener({ type: "end" });
      return () => undefined;
    }
    log.listeners.add(listener);
    return () => log.listeners.delete(listener);
  }
}

function end(log: Log): void {
  log.stopped = true;
  const listeners = [...log.listeners];
  log.listeners.clear();
  for (const listener of listeners) listener({ type: "end" });
}

function keyOf(room: string, containerId: string): string {
  return `${room}\u0000${containerId}`;
}
