// The local room's platform switch: GET /config per generation, what 0.50.1 no longer serves
// (0.39 room secrets REST), and the generation persisted in the data directory — 0.39.9 data
// reopened as 0.50.1 is upgraded, 0.50.1 data reopened as 0.39.9 is refused.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { LocalStore } from "../../src/local/store.js";
import { upgradeService050 } from "../../src/local/platform-upgrade.js";
import { DEFAULT_PLATFORM } from "../../src/local/platform.js";
import { call, PID, serviceBody, servicesPath, startTestRoom, TOKEN, type TestRoom } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

describe("local room 0.50.1: config and removed endpoints", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.50.1" });
  });
  after(() => t.dispose());

  it("GET /config says version 0.50.1", async () => {
    const config = await t.api("GET", "/config");
    assert.deepEqual(config.body, { version: "0.50.1", domains: { api: `127.0.0.1:${t.room.port}`, registry: "registry.meshagent.com" } });
    assert.equal(t.room.platform, "0.50.1");
    assert.equal(t.room.strictness, "lenient");
  });

  it("answers 404 for the 0.39 room secrets REST, as for any unknown path", async () => {
    const base = `/accounts/projects/${PID}/rooms/dev/secrets`;
    const listed = await t.api("GET", base);
    assert.equal(listed.status, 404);
    assert.deepEqual(listed.body, { error: { message: `no such endpoint: GET ${base}` } });
    assert.equal((await t.api("POST", base, { data_base64: "eA==" })).status, 404);
    assert.equal((await t.api("GET", `${base}/s1`)).status, 404);
  });
});

describe("local room 0.39.9 (the default today): config", () => {
  it("GET /config has no version key", async () => {
    const t = await startTestRoom({ platform: "0.39.9" });
    try {
      assert.deepEqual(Object.keys((await t.api("GET", "/config")).body), ["domains"]);
      assert.equal(t.room.platform, "0.39.9");
    } finally {
      await t.dispose();
    }
  });

  it("is what a room speaks when no platform is given", async () => {
    const t = await startTestRoom();
    try {
      assert.equal(t.room.platform, DEFAULT_PLATFORM);
    } finally {
      await t.dispose();
    }
  });

  it("refuses an unknown platform or strictness before touching the data dir", async () => {
    const dataDir = path.join(os.tmpdir(), `meshdeploy-never-${process.pid}`);
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN, platform: "0.45.0" as never }), /speaks MeshAgent 0\.39\.9 or 0\.50\.1, got platform "0\.45\.0"/);
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN, strictness: "loose" as never }), /"lenient" or "strict", got "loose"/);
  });
});

describe("local room: the platform persisted in the data dir", { timeout: 30_000 }, () => {
  let dataDir: string;
  let room: LocalRoom | null = null;
  const open = async (platform: "0.39.9" | "0.50.1"): Promise<LocalRoom> => {
    room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"], platform });
    return room;
  };
  const closeRoom = async (): Promise<void> => {
    await room?.close();
    room = null;
  };
  // What is durable (state.json plus its journal), read as a fresh open would.
  const state = async (): Promise<Record<string, unknown>> => ({ ...(await LocalStore.read(dataDir)) });
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), "meshdeploy-platform-"));
  });
  after(async () => {
    await closeRoom();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("writes its platform, upgrades 0.39.9 data to 0.50.1 on reopen, and refuses to go back", async () => {
    const first = await open("0.39.9");
    const legacy = serviceBody("acme-web", {
      container: {
        image: "registry.meshagent.com/local/acme-web:1",
        secrets: ["room-secret"],
        environment: [{ name: "S", secret: { identity: "acme-web", id: "sec_1" } }, { name: "A", value: "1" }],
        storage: { room: [{ path: "/data" }], project: [{ path: "/shared" }] },
      },
    });
    const created = await call(first.url, "POST", servicesPath(), legacy);
    assert.equal(created.status, 200, created.text);
    const id: string = created.body.id;
    const route = { domain: "web.example.test", room_name: "dev", port: "8000", annotations: { "meshagent.service.id": "acme-web" } };
    assert.equal((await call(first.url, "POST", `/accounts/projects/${PID}/routes`, route)).status, 200);
    assert.equal((await call(first.url, "POST", `/accounts/projects/${PID}/rooms/dev/secrets`, { secret_id: "s1", data_base64: "eA==" })).status, 200);
    await closeRoom();
    assert.equal((await state()).platform, "0.39.9");

    const upgraded = await open("0.50.1");
    assert.equal(upgraded.platform, "0.50.1");
    assert.equal((await state()).platform, "0.50.1", "the upgrade is durable before the room serves");
    const stored = await call(upgraded.url, "GET", `${servicesPath()}/${id}`);
    assert.deepEqual(stored.body, {
      id,
      version: "v1",
      kind: "Service",
      enabled: true,
      metadata: { name: "acme-web" },
      ports: [],
      container: {
        image: "registry.meshagent.com/local/acme-web:1",
        template: "agent",
        environment: [{ name: "S", secret: { id: "sec_1" } }, { name: "A", value: "1" }],
        storage: { room: [{ path: "/data", read_only: false }] },
        private: true,
      },
    });
    // A route written in the 0.39 shape is answered as the RouteSpec its migration gives.
    assert.deepEqual((await call(upgraded.url, "GET", `/accounts/projects/${PID}/routes/web.example.test`)).body, {
      route: {
        domain: "web.example.test",
        spec: {
          version: "v1", kind: "Route", metadata: { name: "web.example.test", annotations: { "meshagent.service.id": "acme-web" } },
          domain: "web.example.test", backend: { room: { name: "dev" }, agent: null }, paths: [{ path: "/", pathType: "prefix", targetPort: "8000" }],
        },
      },
    });
    // 0.39 room secrets stay in the file (nothing is destroyed) but are no longer served.
    assert.equal((await call(upgraded.url, "GET", `/accounts/projects/${PID}/rooms/dev/secrets`)).status, 404);
    assert.equal(((await state()).secrets as unknown[]).length, 1);
    await closeRoom();

    const before = await readFile(path.join(dataDir, "state.json"), "utf8");
    await assert.rejects(open("0.39.9"), (error: Error & { code?: string; hint?: string }) => {
      assert.equal(error.code, "E_LOCAL_ROOM");
      assert.match(error.message, /cannot be opened as MeshAgent 0\.39\.9: it was written by a local room speaking MeshAgent 0\.50\.1/);
      assert.match(error.hint ?? "", /platform 0\.50\.1/);
      return true;
    });
    assert.equal(await readFile(path.join(dataDir, "state.json"), "utf8"), before, "a refused open leaves the file alone");
    const again = await open("0.50.1");
    assert.equal((await call(again.url, "GET", servicesPath())).body.services.length, 1);
  });
});

describe("local room: no platform asked for", { timeout: 30_000 }, () => {
  const tempDir = suiteTempDirs("platform-default");

  it("a new data dir speaks the default (0.50.1); an existing one keeps its generation until one is asked for", async () => {
    const fresh = await startLocalRoom({ dataDir: await tempDir(), token: TOKEN });
    try {
      assert.equal(fresh.platform, DEFAULT_PLATFORM);
      assert.equal(DEFAULT_PLATFORM, "0.50.1");
      assert.equal((await call(fresh.url, "GET", "/config")).body.version, "0.50.1");
    } finally {
      await fresh.close();
    }
    const dataDir = await tempDir();
    const old = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"], platform: "0.39.9" });
    try {
      assert.equal((await call(old.url, "POST", servicesPath(), serviceBody("acme-web"))).status, 200);
    } finally {
      await old.close();
    }
    const reopened = await startLocalRoom({ dataDir, token: TOKEN });
    try {
      assert.equal(reopened.platform, "0.39.9", "no silent upgrade of a user's 0.39.9 room");
      assert.equal((await call(reopened.url, "GET", "/config")).body.version, undefined);
    } finally {
      await reopened.close();
    }
    const asked = await startLocalRoom({ dataDir, token: TOKEN, platform: "0.50.1" });
    try {
      assert.equal(asked.platform, "0.50.1");
    } finally {
      await asked.close();
    }
  });
});

describe("upgradeService050", () => {
  it("drops what 0.45 removed, fills the 0.41–0.49 defaults, and never mutates its input", () => {
    const input = { id: "s", version: "v1", kind: "Service", metadata: { name: "a" }, container: { image: "i", secrets: null, storage: { project: null } } };
    const copy = structuredClone(input);
    assert.deepEqual(upgradeService050(input), { id: "s", version: "v1", kind: "Service", enabled: true, metadata: { name: "a" }, container: { image: "i", template: "agent", storage: {} } });
    assert.deepEqual(input, copy);
    const kept = { id: "s", version: "v1", kind: "Service", enabled: false, metadata: { name: "a" }, container: { image: "i", template: "none" } };
    assert.deepEqual(upgradeService050(kept), kept, "explicit values stay");
  });
});
