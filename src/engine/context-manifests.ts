// What meshdeploy last built for each service (context hash + per-file content hashes), kept in
// `.meshdeploy/contexts.json` beside the config so a plan can name the files that changed since.
// Only a convenience for messages: a missing or unreadable file just means "context changed"
// without names. Never holds file contents.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export interface ContextManifest {
  hash: string;
  files: Record<string, string>;
}

type Manifests = Record<string, ContextManifest>;

const key = (room: string, name: string): string => `${room}/${name}`;

export class ContextManifests {
  readonly #file: string;
  #data: Manifests | null = null;

  constructor(configDir: string) {
    this.#file = path.join(configDir, ".meshdeploy", "contexts.json");
  }

  async get(room: string, name: string): Promise<ContextManifest | null> {
    return (await this.#load())[key(room, name)] ?? null;
  }

  async set(room: string, name: string, manifest: ContextManifest): Promise<void> {
    const data = await this.#load();
    data[key(room, name)] = manifest;
    await mkdir(path.dirname(this.#file), { recursive: true });
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(data));
    await rename(tmp, this.#file);
  }

  async #load(): Promise<Manifests> {
    if (this.#data === null) {
      try {
        this.#data = JSON.parse(await readFile(this.#file, "utf8")) as Manifests;
      } catch {
        this.#data = {};
      }
    }
    return this.#data;
  }
}
