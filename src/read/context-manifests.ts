// What meshdeploy last built for each service (context hash + per-file content hashes), kept in
// `.meshdeploy/contexts.json` beside the config so a plan can name the files that changed since.
// Only a convenience for messages: a missing or unreadable file just means "context changed"
// without names. Never holds file contents. Builds finish concurrently: writes are chained, one
// at a time, and a failed write never fails the deploy that triggered it.
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ignoreStateDir, STATE_DIR } from "../state-dir.js";

export interface ContextManifest {
  hash: string;
  files: Record<string, string>;
}

type Manifests = Record<string, ContextManifest>;

const key = (room: string, name: string): string => `${room}/${name}`;

export class ContextManifests {
  readonly #file: string;
  #data: Promise<Manifests> | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(configDir: string) {
    this.#file = path.join(configDir, STATE_DIR, "contexts.json");
  }

  async get(room: string, name: string): Promise<ContextManifest | null> {
    return (await this.#load())[key(room, name)] ?? null;
  }

  /** Records a build; resolves once the file holds it (or the write failed, which is ignored). */
  async set(room: string, name: string, manifest: ContextManifest): Promise<void> {
    const data = await this.#load();
    data[key(room, name)] = manifest;
    this.#writing = this.#writing.then(() => this.#write(data));
    return this.#writing;
  }

  async #write(data: Manifests): Promise<void> {
    const tmp = `${this.#file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(this.#file), { recursive: true });
      ignoreStateDir(path.dirname(this.#file));
      await writeFile(tmp, JSON.stringify(data));
      await rename(tmp, this.#file);
    } catch {
      // Only messages depend on this file; the next build writes it again.
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }

  /** Read once, shared: concurrent first calls must update one object, not one each. */
  #load(): Promise<Manifests> {
    this.#data ??= readFile(this.#file, "utf8")
      .then((text) => {
        const parsed: unknown = JSON.parse(text);
        return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Manifests) : {};
      })
      .catch(() => ({}));
    return this.#data;
  }
}
