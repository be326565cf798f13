// Test helpers: a real local room on a random loopback port over a fresh temp data dir, and a
// small fetch wrapper that returns status + parsed JSON.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalRoom, type LocalRoom, type LocalRoomOptions } from "../../src/local/server.js";

export const TOKEN = "test-token-5f0c1d";
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

async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "meshdeploy-local-"));
}

export async function startTestRoom(options: Partial<LocalRoomOptions> = {}): Promise<TestRoom> {
  const dataDir = options.dataDir ?? (await makeTempDir());
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
  path: string,
  body?: unknown,
  options: { token?: string | null; rawBody?: string } = {},
): Promise<ApiResult> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
  const response = await fetch(baseUrl + path, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
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
