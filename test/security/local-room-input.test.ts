// The local room's input side (audit M5, L7, L8, L3), each probe from the audit against a real
// room on a loopback port: a gzip bomb is bounded after decompression; a Host or websocket Origin
// that is not a loopback name is refused (DNS rebinding); `__proto__` keys, invalid UTF-8, lone
// surrogates and deep nesting are 400s; `local serve` takes its token from a file or the environment.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { request } from "node:http";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import WebSocket from "ws";
import { checkBuild } from "../../src/local/builds/check-build.js";
import { call, PID, serviceBody, servicesPath, startTestRoom, type TestRoom, TOKEN } from "../helpers/local-room.js";
import { finished, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { writeTar } from "../local/tar-writer.js";

/** A request with exactly these headers and bytes (fetch forbids setting Host). */
function raw(url: string, method: string, urlPath: string, headers: Record<string, string>, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url + urlPath, { method, headers: { authorization: `Bearer ${TOKEN}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Opens a websocket with `headers`; the HTTP status of a refusal, or 101. */
function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      socket.terminate();
    });
    socket.on("error", (error) => {
      if (!String(error.message).includes("Unexpected server response")) reject(error);
    });
  });
}

describe("local room input: M5 gzip bomb bounded after decompression", () => {
  it("a gzipped context that unpacks past the limit fails the build with a clear line, not an internal error", () => {
    const tar = writeTar([{ path: "Dockerfile", content: "FROM a\n" }, { path: "zeros", content: Buffer.alloc(4 * 1024 * 1024) }]);
    const bomb = gzipSync(tar, { level: 9 });
    assert.ok(bomb.length < 20_000, `a bomb: ${bomb.length} bytes`);
    const outcome = checkBuild({ context: bomb, tag: "local/b:1", dockerfilePath: null, contextPath: "/context", mountPath: "/context", maxUnpackedBytes: 1024 * 1024 });
    assert.equal(outcome.exitCode, 1);
    assert.deepEqual(outcome.lines, [`error: the gzipped build context unpacks to more than 1048576 bytes, the local room's limit (${bomb.length} bytes received)`, "build failed with exit code 1"]);
    // Under the limit the same context is fine.
    const small = gzipSync(writeTar([{ path: "Dockerfile", content: "FROM a\n" }]));
    assert.equal(checkBuild({ context: small, tag: "local/b:1", dockerfilePath: null, contextPath: "/context", mountPath: "/context", maxUnpackedBytes: 1024 * 1024 }).exitCode, 0);
  });
});

describe("local room input: L7 Host and Origin (DNS rebinding), L8 bodies", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ platform: "0.39.9" });
  });
  after(() => t.dispose());

  it("a Host that is not a loopback name is 421, before the token is even looked at; loopback names pass", async () => {
    const port = new URL(t.room.url).port;
    const bad = await raw(t.room.url, "GET", "/config", { host: "attacker.example" });
    assert.equal(bad.status, 421);
    assert.match(bad.text, /answers only requests addressed to a loopback name .*got Host \\"attacker\.example\\"/);
    assert.equal((await raw(t.room.url, "GET", "/config", { host: `attacker.example:${port}`, authorization: "Bearer wrong" })).status, 421);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `app.localhost:${port}`, "localhost"]) {
      assert.equal((await raw(t.room.url, "GET", "/config", { host })).status, 200, host);
    }
    const page = await raw(t.room.url, "GET", "/config", { origin: "http://attacker.example" });
    assert.equal(page.status, 403);
    assert.equal((await raw(t.room.url, "GET", "/config", { origin: `http://localhost:${port}` })).status, 200);
  });

  it("a websocket from a foreign Origin or to a foreign Host is refused; a loopback one is accepted", async () => {
    const jwt = (await call(t.room.url, "POST", `/accounts/projects/${PID}/rooms/dev/connect`, {})).body as { jwt: string };
    const url = `${t.room.url.replace("http", "ws")}/rooms/dev`;
    const auth = { authorization: `Bearer ${jwt.jwt}` };
    assert.equal(await upgradeStatus(url, { ...auth, origin: "http://attacker.example" }), 403);
    assert.equal(await upgradeStatus(url, { ...auth, host: "attacker.example" }), 421);
    assert.equal(await upgradeStatus(url, { ...auth, origin: t.room.url }), 101);
    assert.equal(await upgradeStatus(url, auth), 101);
  });

  it("__proto__ keys anywhere, invalid UTF-8, lone surrogates and deep nesting are 400s that change nothing", async () => {
    const before = (await t.api("GET", servicesPath())).body;
    const json = { "content-type": "application/json" };
    const cases: [string, Buffer, RegExp][] = [
      ["__proto__ annotation", Buffer.from(`{"version":"v1","kind":"Service","metadata":{"name":"p1","annotations":{"__proto__":"x","a":"b"}},"container":{"image":"registry.meshagent.com/local/p1:1"}}`), /"__proto__" \(at metadata\.annotations\.__proto__\)/],
      ["__proto__ in an env item", Buffer.from(`{"version":"v1","kind":"Service","metadata":{"name":"p2"},"container":{"image":"registry.meshagent.com/local/p2:1","environment":[{"name":"A","value":"1","__proto__":{}}]}}`), /"__proto__" \(at container\.environment\[0\]\.__proto__\)/],
      ["invalid UTF-8", Buffer.concat([Buffer.from(`{"version":"v1","kind":"Service","metadata":{"name":"utf8-`), Buffer.from([0xff, 0xfe]), Buffer.from(`AA"},"container":{"image":"registry.meshagent.com/local/u:1"}}`)]), /not valid UTF-8/],
      ["lone surrogate", Buffer.from(`{"version":"v1","kind":"Service","metadata":{"name":"s\\ud800"},"container":{"image":"registry.meshagent.com/local/s:1"}}`), /lone UTF-16 surrogate in the string at metadata\.name/],
      ["2M-deep arrays", Buffer.from(`{"metadata":${"[".repeat(2_000_000)}${"]".repeat(2_000_000)}}`), /nests deeper than 64 levels|not valid JSON/],
    ];
    for (const [label, body, message] of cases) {
      const answer = await raw(t.room.url, "POST", servicesPath(), json, body);
      assert.equal(answer.status, 400, `${label}: ${answer.text.slice(0, 200)}`);
      assert.match((JSON.parse(answer.text) as { error: { message: string } }).error.message, message, label);
    }
    const deep = await raw(t.room.url, "POST", servicesPath(), json, Buffer.from(`{"metadata":{"annotations":${'{"a":'.repeat(100)}1${"}".repeat(100)}}}`));
    assert.equal(deep.status, 400);
    assert.match(deep.text, /nests deeper than 64 levels/);
    assert.deepEqual((await t.api("GET", servicesPath())).body, before, "nothing was stored");
    assert.equal((await t.api("POST", servicesPath(), serviceBody("fine"))).status, 200, "an ordinary body still passes");
  });
});

describe("local room input: L3 the serve token from a file or the environment", () => {
  const tempDir = suiteTempDirs("serve-token");

  for (const source of ["file", "env"] as const) {
    it(`local serve --token-file / MESHDEPLOY_LOCAL_TOKEN (${source}): the token is required and never in argv`, { timeout: 60_000 }, async () => {
      const dir = await tempDir();
      const secret = `serve-token-from-${source}-0123456789`;
      const tokenFile = path.join(dir, "t.txt");
      writeFileSync(tokenFile, `${secret}\n`, { mode: 0o600 });
      const args = ["local", "serve", "--port", "0", "--data", path.join(dir, "data"), ...(source === "file" ? ["--token-file", tokenFile] : [])];
      const child = spawnBinary(args, dir, source === "env" ? { MESHDEPLOY_LOCAL_TOKEN: secret } : {});
      try {
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(await waitForOutput(child, /listening on http:\/\/127\.0\.0\.1:\d+/))![1]!;
        assert.equal((await call(url, "GET", "/config", undefined, { token: secret })).status, 200);
        assert.equal((await call(url, "GET", "/config", undefined, { token: TOKEN })).status, 401);
        assert.equal(args.join(" ").includes(secret), false);
      } finally {
        child.kill("SIGINT");
        await finished(child);
      }
    });
  }

  it("refuses a token file that is a FIFO, too big, or empty, before reading it", { timeout: 60_000 }, async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    const big = path.join(dir, "big");
    writeFileSync(big, "x".repeat(10_000));
    const empty = path.join(dir, "empty");
    writeFileSync(empty, "\n");
    for (const [file, message] of [[fifo, /is not a regular file/], [big, /is larger than 4096 bytes; a token file holds one line/], [empty, /is empty or contains whitespace/]] as const) {
      const child = spawnBinary(["local", "serve", "--port", "0", "--data", path.join(dir, "data"), "--token-file", file], dir);
      const result = await finished(child);
      assert.equal(result.code, 1);
      assert.match(result.stderr, message);
    }
  });
});
