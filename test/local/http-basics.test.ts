// Auth, /config, the project endpoint, and the generic HTTP behaviour (404/405/400/413, error body).
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, describe, it } from "node:test";
import { startLocalRoom } from "../../src/local/server.js";
import { PID, startTestRoom, type TestRoom, TOKEN } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

describe("local room: auth and basics", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ registry: "registry.example.test", projectKey: "acme", platform: "0.39.9" });
  });
  after(() => t.dispose());

  it("binds loopback and reports a URL without a trailing slash", () => {
    assert.match(t.room.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(t.room.url, `http://127.0.0.1:${t.room.port}`);
  });

  it("answers 401 without a token, with the error body and no token echo", async () => {
    const result = await t.api("GET", "/config", undefined, { token: null });
    assert.equal(result.status, 401);
    assert.match(result.body.error.message, /missing bearer token/);
    assert.equal(result.headers.get("www-authenticate")?.startsWith("Bearer"), true);
  });

  it("answers 401 for a wrong token and never echoes either token", async () => {
    const wrong = "wrong-token-abcdef";
    for (const path of ["/config", `/accounts/projects/${PID}`, "/no/such/path"]) {
      const result = await t.api("GET", path, undefined, { token: wrong });
      assert.equal(result.status, 401, path);
      assert.deepEqual(Object.keys(result.body), ["error"]);
      assert.ok(!result.text.includes(wrong), "the sent token is not echoed");
      assert.ok(!result.text.includes(TOKEN), "the real token is not revealed");
    }
  });

  it("rejects a token that is only a prefix of the real one, and a non-Bearer scheme", async () => {
    assert.equal((await t.api("GET", "/config", undefined, { token: TOKEN.slice(0, -1) })).status, 401);
    const basic = await fetch(`${t.room.url}/config`, { headers: { Authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.status, 401);
    assert.ok(!(await basic.text()).includes(TOKEN));
  });

  it("GET /config returns the MeshagentDeploymentConfig without a version", async () => {
    const result = await t.api("GET", "/config");
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { domains: { api: `127.0.0.1:${t.room.port}`, registry: "registry.example.test" } });
    assert.match(result.headers.get("content-type") ?? "", /^application\/json/);
  });

  it("GET /accounts/projects/{pid} returns ProjectInfo", async () => {
    const result = await t.api("GET", `/accounts/projects/${PID}`);
    assert.equal(result.status, 200);
    assert.deepEqual(Object.keys(result.body), ["id", "owner_user_id", "name", "project_key", "created_at"]);
    assert.equal(result.body.id, "local");
    assert.equal(result.body.owner_user_id, null);
    assert.equal(result.body.name, "local");
    assert.equal(result.body.project_key, "acme");
    assert.ok(!Number.isNaN(Date.parse(result.body.created_at)));
  });

  it("answers 404 naming the project for any other project id, on every project path", async () => {
    for (const path of ["/accounts/projects/other", "/accounts/projects/other/rooms", "/accounts/projects/other/rooms/dev/services", "/accounts/projects/other/routes/x.example"]) {
      const result = await t.api("GET", path);
      assert.equal(result.status, 404, path);
      assert.match(result.body.error.message, /project "other" not found/);
    }
  });

  it("answers 404 for an unknown path and 405 (with Allow) for a wrong method", async () => {
    const unknown = await t.api("GET", "/accounts/projects/local/widgets");
    assert.equal(unknown.status, 404);
    assert.match(unknown.body.error.message, /no such endpoint: GET \/accounts\/projects\/local\/widgets/);
    const wrong = await t.api("DELETE", "/config");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET");
    assert.match(wrong.body.error.message, /DELETE is not allowed on \/config/);
  });

  it("answers 400 for malformed JSON, an empty body, and a non-object body", async () => {
    const rooms = `/accounts/projects/${PID}/rooms`;
    const malformed = await t.api("POST", rooms, undefined, { rawBody: '{"name": "x",' });
    assert.equal(malformed.status, 400);
    assert.match(malformed.body.error.message, /not valid JSON/);
    const empty = await t.api("POST", rooms, undefined, { rawBody: "" });
    assert.equal(empty.status, 400);
    assert.match(empty.body.error.message, /empty/);
    const list = await t.api("POST", rooms, ["dev"]);
    assert.equal(list.status, 400);
    assert.match(list.body.error.message, /must be a JSON object, got an array/);
  });

  it("answers 413 for a body over 10 MiB, declared or streamed", async () => {
    const big = "x".repeat(10 * 1024 * 1024 + 1);
    const declared = await t.api("POST", `/accounts/projects/${PID}/rooms`, undefined, { rawBody: big });
    assert.equal(declared.status, 413);
    assert.match(declared.body.error.message, /larger than 10485760 bytes/);
    const streamed = await chunkedPost(t.room.url, `/accounts/projects/${PID}/rooms`, big);
    assert.equal(streamed.status, 413);
  });

  it("accepts a body of exactly 10 MiB (then judges its content)", async () => {
    const padded = JSON.stringify({ name: "dev", if_not_exists: true, metadata: { pad: "" } });
    const filler = "y".repeat(10 * 1024 * 1024 - padded.length);
    const body = padded.replace('"pad":""', `"pad":"${filler}"`);
    assert.equal(Buffer.byteLength(body), 10 * 1024 * 1024);
    const result = await t.api("POST", `/accounts/projects/${PID}/rooms`, undefined, { rawBody: body });
    assert.equal(result.status, 200);
  });

  it("decodes path segments, and keeps a malformed %-escape raw", async () => {
    assert.equal((await t.api("GET", `/accounts/projects/%6Cocal/rooms/d%65v`)).status, 200);
    const bad = await t.api("GET", `/accounts/projects/${PID}/rooms/%E0%A4%A`);
    assert.equal(bad.status, 404);
    assert.match(bad.body.error.message, /room "%E0%A4%A" not found/);
  });

  it("logs method, path without query, and status", async () => {
    const before = t.room.requestLog.length;
    await t.api("GET", `/accounts/projects/${PID}/routes?count=5&offset=0`);
    await t.api("GET", "/config", undefined, { token: null });
    assert.deepEqual(t.room.requestLog.slice(before), [
      { method: "GET", path: `/accounts/projects/${PID}/routes`, status: 200 },
      { method: "GET", path: "/config", status: 401 },
    ]);
  });
});

describe("local room: the request log's limit", () => {
  const tempDir = suiteTempDirs("request-log-limit");
  it("keeps the newest requestLogLimit entries (dropping the oldest half past it), and none at 0", async () => {
    const small = await startTestRoom({ platform: "0.39.9", requestLogLimit: 4 });
    const none = await startTestRoom({ platform: "0.39.9", requestLogLimit: 0 });
    try {
      for (let i = 0; i < 7; i++) {
        await small.api("GET", `/accounts/projects/${PID}/rooms/r${i}`);
        await none.api("GET", "/config");
      }
      // The fifth entry (r4) passes 4: the oldest are dropped down to half (r3, r4); r5, r6 follow.
      assert.deepEqual(small.room.requestLog.map((entry) => entry.path), [3, 4, 5, 6].map((i) => `/accounts/projects/${PID}/rooms/r${i}`));
      assert.deepEqual(none.room.requestLog, []);
    } finally {
      await small.dispose();
      await none.dispose();
    }
  });

  it("refuses a limit that is not a non-negative integer", async () => {
    const dataDir = await tempDir();
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN, requestLogLimit: -1 }), /requestLogLimit must be an integer of at least 0/);
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN, requestLogLimit: 1.5 }), /requestLogLimit must be an integer of at least 0/);
  });
});

/** POSTs `body` with chunked transfer encoding (no Content-Length). */
function chunkedPost(baseUrl: string, path: string, body: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Transfer-Encoding": "chunked" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      // The server may close the connection after answering 413 while we are still sending.
      if (error.code === "EPIPE" || error.code === "ECONNRESET") return;
      reject(error);
    });
    const chunk = body.slice(0, 1024 * 1024);
    let sent = 0;
    const pump = (): void => {
      while (sent < body.length) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}
