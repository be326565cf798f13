// A real embedded local room on a random loopback port with a throwaway data dir, plus a
// throwaway project dir to write configs into.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { HttpClient } from "../../src/target/http-client.js";
import { MeshagentTarget } from "../../src/target/meshagent-target.js";

export const TEST_TOKEN = "test-token-abcdefghijklmnop";

export interface Harness {
  room: LocalRoom;
  dataDir: string;
  projectDir: string;
  target(): MeshagentTarget;
  writeConfig(yaml: string, name?: string): Promise<string>;
  /** Saves a room secret (0.39 room secrets REST) for `identity`. */
  createSecret(room: string, id: string, identity: string): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: { rooms?: string[] } = {}): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-room-"));
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-project-"));
  const targets: MeshagentTarget[] = [];
  const start = (port = 0): Promise<LocalRoom> => startLocalRoom({ dataDir, token: TEST_TOKEN, port, rooms: options.rooms ?? ["dev"], startDelayMs: 20 });
  const harness: Harness = {
    room: await start(),
    dataDir,
    projectDir,
    target() {
      const t = new MeshagentTarget({ apiUrl: harness.room.url, token: TEST_TOKEN, projectId: "local" });
      targets.push(t);
      return t;
    },
    async writeConfig(yaml, name = ".meshdeploy.yaml") {
      const file = path.join(projectDir, name);
      await writeFile(file, yaml);
      return file;
    },
    async createSecret(room, id, identity) {
      const http = new HttpClient({ baseUrl: harness.room.url, token: TEST_TOKEN });
      await http.send("POST", `/accounts/projects/local/rooms/${room}/secrets`, { secret_id: id, for_identity: identity, data_base64: Buffer.from("not-a-real-secret").toString("base64") });
      await http.close();
    },
    async restart() {
      const port = harness.room.port;
      await harness.room.close();
      harness.room = await start(port);
    },
    async close() {
      await Promise.all(targets.map((t) => t.close()));
      await harness.room.close();
      await rm(dataDir, { recursive: true, force: true });
      await rm(projectDir, { recursive: true, force: true });
    },
  };
  return harness;
}
