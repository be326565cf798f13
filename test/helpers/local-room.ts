// A real embedded local room on a random loopback port over a throwaway data dir: `startTestRoom`
// (the room and a fetch wrapper returning status + parsed JSON, for REST tests) and
// `startHarness` (the room plus a throwaway project dir and targets, for engine tests).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLocalRoom, type LocalRoom, type LocalRoomOptions } from "../../src/local/server.js";
import { HttpClient } from "../../src/platform/http-client.js";
import { MeshagentTarget } from "../../src/platform/meshagent-target.js";

export const TOKEN = "test-token-abcdefghijklmnop";
export const PID = "local";

export interface ApiResult {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

export interface TestRoom {
  room: LocalRoom;
  dataDir: string;
  api(method: string, path: string, body?: unknown, options?: { token?: string | null; rawBody?: string }): Promise<ApiResult>;
  /** Closes the room and removes the data dir. */
  dispose(): Promise<void>;
}

export async function startTestRoom(options: Partial<LocalRoomOptions> = {}): Promise<TestRoom> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), "meshdeploy-local-")));
  const room = await startLocalRoom({ token: TOKEN, rooms: ["dev"], ...options, dataDir });
  return {
    room,
    dataDir,
    api: (method, path, body, apiOptions = {}) => call(room.url, method, path, body, apiOptions),
    dispose: async () => {
      await room.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function call(
  baseUrl: string,
  method: string,
  urlPath: string,
  body?: unknown,
  options: { token?: string | null; rawBody?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(baseUrl + urlPath, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const text = await response.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, body: parsed, text, headers: response.headers };
}

/** A minimal valid 0.39 ServiceSpec body. */
export function serviceBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: "v1", kind: "Service", metadata: { name }, container: { image: `registry.meshagent.com/local/${name}:1` }, ...extra };
}

export const servicesPath = (room = "dev"): string => `/accounts/projects/${PID}/rooms/${room}/services`;

export interface Harness {
  room: LocalRoom;
  dataDir: string;
  projectDir: string;
  target(): MeshagentTarget;
  writeConfig(yaml: string, name?: string): Promise<string>;
  /** Saves a room secret (0.39 room secrets REST) for `identity`. */
  createSecret(room: string, id: string, identity: string): Promise<void>;
  /** Closes the room and opens its data dir again; `platform` asks for another generation (an upgrade). */
  restart(platform?: LocalRoomOptions["platform"]): Promise<void>;
  close(): Promise<void>;
}

/** `platform`/`strictness` pick the generation the room speaks (default: the local room's default). */
export async function startHarness(options: { rooms?: string[] } & Pick<LocalRoomOptions, "platform" | "strictness" | "storageIo"> = {}): Promise<Harness> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-room-"));
  const projectDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-project-"));
  const targets: MeshagentTarget[] = [];
  const generation = {
    ...(options.strictness === undefined ? {} : { strictness: options.strictness }),
    ...(options.storageIo === undefined ? {} : { storageIo: options.storageIo }),
  };
  const start = (port = 0, platform = options.platform): Promise<LocalRoom> =>
    startLocalRoom({ dataDir, token: TOKEN, port, rooms: options.rooms ?? ["dev"], startDelayMs: 20, ...generation, ...(platform === undefined ? {} : { platform }) });
  const harness: Harness = {
    room: await start(),
    dataDir,
    projectDir,
    target() {
      const t = new MeshagentTarget({ apiUrl: harness.room.url, token: TOKEN, projectId: "local" });
      targets.push(t);
      return t;
    },
    async writeConfig(yaml, name = ".meshdeploy.yaml") {
      const file = path.join(projectDir, name);
      await writeFile(file, yaml);
      return file;
    },
    async createSecret(room, id, identity) {
      const http = new HttpClient({ baseUrl: harness.room.url, token: TOKEN });
      await http.send("POST", `/accounts/projects/local/rooms/${room}/secrets`, { secret_id: id, for_identity: identity, data_base64: Buffer.from("not-a-real-secret").toString("base64") });
      await http.close();
    },
    async restart(platform) {
      const port = harness.room.port;
      await harness.room.close();
      harness.room = await start(port, platform);
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

/** A 0.50.1 service account named `name` with one secret (`secretName`), through the REST a user would call. */
export async function serviceAccountWithSecret(baseUrl: string, name: string, secretName: string, token: string = TOKEN, project: string = PID): Promise<{ email: string; secretId: string }> {
  const account = await call(baseUrl, "POST", `/accounts/projects/${project}/service-accounts`, { name }, { token });
  if (account.status !== 200) throw new Error(`creating service account ${name}: ${account.status} ${account.text}`);
  const secret = await call(baseUrl, "POST", `/accounts/projects/${project}/service-accounts/${account.body.id}/secrets`, { name: secretName }, { token });
  if (secret.status !== 200) throw new Error(`creating secret ${secretName}: ${secret.status} ${secret.text}`);
  return { email: account.body.email, secretId: secret.body.id };
}
