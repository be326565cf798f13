// The local room's defences: the bearer token on every request (constant-time compare over
// hashes, so any length is a clean 401), room tokens at the websocket, loopback by default,
// size limits on bodies, headers and websocket frames, build contexts whose tar entries try to
// leave the archive, and private files (data dir 0700; token, state, marker and lock 0600) even
// under a permissive umask.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { chmod, mkdir, stat } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { syncBuiltinESMExports } from "node:module";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { readTar, TarError } from "../../src/local/builds/tar-reader.js";
import { claimServer, ensureDataDir, writeTokenFile } from "../../src/local/data-dir.js";
import { acquireDirLock, LOCK_FILE } from "../../src/local/dir-lock.js";
import { bearerCheck } from "../../src/local/http/auth.js";
import { startLocalRoom } from "../../src/local/server.js";
import { call, PID, serviceBody, servicesPath, startTestRoom, type TestRoom, TOKEN } from "../helpers/local-room.js";
import { chunksOf, connectRoomClient, disposeSoon } from "../local/room-client.js";
import { writeTar } from "../local/tar-writer.js";
import { finished, spawnBinary, waitForOutput } from "../helpers/binary.js";
import { runInProcess } from "../helpers/capture-io.js";
import { suiteTempDirs, testTempDir } from "../helpers/temp-dirs.js";

describe("local room: authentication", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev"] });
  });
  after(() => t.dispose());

  it("answers 401 to every wrong or missing credential, on every path, without running the handler", async () => {
    const wrong: (string | null)[] = [
      null,
      "",
      "x",
      TOKEN.slice(0, -1),
      `${TOKEN}x`,
      TOKEN.toUpperCase(),
      `${"z".repeat(TOKEN.length)}`,
      "a".repeat(8_000),
    ];
    for (const token of wrong) {
      for (const [method, route] of [["GET", "/config"], ["POST", servicesPath()], ["GET", "/no/such/path"], ["DELETE", `${servicesPath()}/x`]] as const) {
        const answer = await call(t.room.url, method, route, method === "POST" ? serviceBody("intruder") : undefined, { token });
        assert.equal(answer.status, 401, `${method} ${route} with ${JSON.stringify(token?.slice(0, 20))}`);
        assert.match(answer.headers.get("www-authenticate") ?? "", /^Bearer /);
        assert.equal(answer.text.includes(TOKEN), false);
        if (token !== null && token.length > 3) assert.equal(answer.text.includes(token), false, "the presented token is not echoed");
      }
    }
    assert.deepEqual(t.room.services("dev"), [], "no handler ran");
  });

  it("accepts the token only in the Authorization header with the Bearer scheme", async () => {
    const raw = (headers: Record<string, string>, query = ""): Promise<number> =>
      fetch(`${t.room.url}/config${query}`, { headers }).then((response) => response.status);
    assert.equal(await raw({}, `?token=${TOKEN}`), 401);
    assert.equal(await raw({}, `?access_token=${TOKEN}`), 401);
    assert.equal(await raw({ "X-Api-Key": TOKEN }), 401);
    assert.equal(await raw({ Authorization: `Basic ${Buffer.from(`user:${TOKEN}`).toString("base64")}` }), 401);
    assert.equal(await raw({ Authorization: TOKEN }), 401);
    assert.equal(await raw({ Authorization: `Bearer ${TOKEN}` }), 200);
    assert.equal(await raw({ Authorization: `bearer   ${TOKEN}` }), 200, "the scheme is case-insensitive (RFC 7235)");
  });

  it("compares hashes: tokens of any length are refused cleanly, never with a length error", () => {
    const check = bearerCheck(TOKEN);
    for (const presented of ["a", "b".repeat(31), "c".repeat(32), "d".repeat(33), "e".repeat(100_000), "é€😀"]) {
      assert.throws(() => check(`Bearer ${presented}`), (error: { status?: number }) => error.status === 401);
    }
    assert.doesNotThrow(() => check(`Bearer ${TOKEN}`));
  });

  it("compares in constant time over fixed-length digests, whatever was presented", () => {
    // Observed, not read from the source: crypto.timingSafeEqual is replaced by a recorder
    // (syncBuiltinESMExports updates the named import auth.ts holds) for the length of the calls.
    const original = crypto.timingSafeEqual;
    const lengths: Array<[number, number]> = [];
    crypto.timingSafeEqual = (a, b) => {
      lengths.push([a.byteLength, b.byteLength]);
      return original(a, b);
    };
    syncBuiltinESMExports();
    try {
      const check = bearerCheck(TOKEN);
      for (const presented of ["a", "x".repeat(5_000), TOKEN]) {
        try {
          check(`Bearer ${presented}`);
        } catch {
          // a wrong token is refused; what matters here is how it was compared
        }
      }
    } finally {
      crypto.timingSafeEqual = original;
      syncBuiltinESMExports();
    }
    assert.deepEqual(lengths, [[32, 32], [32, 32], [32, 32]], "every presented token, of any length, is compared as a 32-byte digest");
  });

  it("the room websocket takes only a room token issued for that room", async () => {
    const socketUrl = `${t.room.url.replace("http", "ws")}/rooms/dev`;
    const refused = (url: string, headers: Record<string, string> = {}): Promise<number> =>
      new Promise((resolve) => {
        const socket = new WebSocket(url, { headers });
        socket.on("unexpected-response", (_request, response) => {
          resolve(response.statusCode ?? 0);
          socket.terminate();
        });
        socket.on("open", () => {
          resolve(101);
          socket.close();
        });
        socket.on("error", () => undefined);
      });
    assert.equal(await refused(socketUrl), 403);
    assert.equal(await refused(`${socketUrl}?token=${TOKEN}`), 403, "the API token is not a room token");
    assert.equal(await refused(socketUrl, { Authorization: `Bearer ${TOKEN}` }), 403);
    const other = await call(t.room.url, "POST", `/accounts/projects/${PID}/rooms`, { name: "other" });
    assert.equal(other.status, 200);
    const jwt = (await call(t.room.url, "POST", `/accounts/projects/${PID}/rooms/other/connect`, {})).body.jwt as string;
    assert.equal(await refused(`${socketUrl}?token=${jwt}`), 403, "a token for another room");
    assert.equal(await refused(`${t.room.url.replace("http", "ws")}/rooms/other?token=${jwt}`), 101);
  });
});

describe("local room: exposure and limits", () => {
  let t: TestRoom;
  before(async () => {
    t = await startTestRoom({ rooms: ["dev"] });
  });
  after(() => t.dispose());

  it("binds loopback unless told otherwise, and `local serve` has no flag to change it", async (ctx) => {
    assert.match(t.room.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const work = testTempDir(ctx, "serve");
    for (const flag of ["--host", "--bind", "--listen", "--address"]) {
      const refused = await runInProcess(["local", "serve", flag, "0.0.0.0", "--port", "0"], { cwd: work });
      assert.equal(refused.code, 1, `${flag}: ${refused.stderr}`);
      assert.match(refused.stderr, new RegExp(`unknown option ${flag}`));
    }
    const serve = spawnBinary(["local", "serve", "--port", "0", "--data", path.join(work, "data")], work);
    const done = finished(serve);
    let printed: string;
    try {
      printed = await waitForOutput(serve, /token: /);
    } finally {
      serve.kill("SIGINT");
      await done;
    }
    assert.match(printed, /listening on http:\/\/127\.0\.0\.1:\d+ /, "local serve binds 127.0.0.1");
  });

  it("refuses bodies over 10 MiB (declared or streamed) and oversized headers, and keeps serving", async () => {
    const declared = await rawRequest(t.room.url, { method: "POST", path: servicesPath(), headers: { "Content-Length": String(11 * 1024 * 1024) } }, Buffer.alloc(0));
    assert.equal(declared, 413);
    const streamed = await rawRequest(t.room.url, { method: "POST", path: servicesPath(), headers: { "Transfer-Encoding": "chunked" } }, Buffer.alloc(11 * 1024 * 1024, 0x20));
    assert.equal(streamed, 413);
    const headers = await rawRequest(t.room.url, { method: "GET", path: "/config", headers: { "X-Big": "h".repeat(64 * 1024) } }, Buffer.alloc(0));
    assert.equal(headers, 431);
    assert.equal((await call(t.room.url, "GET", "/config")).status, 200, "still serving");
  });

  it("closes a websocket that sends a frame over 1 MiB (1009)", async () => {
    const jwt = (await call(t.room.url, "POST", `/accounts/projects/${PID}/rooms/dev/connect`, {})).body.jwt as string;
    const socket = new WebSocket(`${t.room.url.replace("http", "ws")}/rooms/dev?token=${jwt}`);
    await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    socket.send(Buffer.alloc(2 * 1024 * 1024));
    assert.equal(await closed, 1009);
  });
});

/** One raw HTTP request with the right token; resolves with the status (0 if the connection was cut first). */
function rawRequest(base: string, options: { method: string; path: string; headers: Record<string, string> }, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const request = httpRequest(`${base}${options.path}`, { method: options.method, headers: { Authorization: `Bearer ${TOKEN}`, ...options.headers } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", () => resolve(0));
    if (body.length > 0) request.write(body);
    request.end();
  });
}

describe("build contexts cannot leave the archive", () => {
  /** A ustar header with a given name, prefix and type, checksummed. */
  function header(name: string, typeflag: string, size: number, prefix = ""): Buffer {
    const block = Buffer.alloc(512);
    block.write(name, 0, 100, "utf8");
    block.write("0000644\0", 100, "latin1");
    block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "latin1");
    block.write("00000000000\0", 136, "latin1");
    block.write("        ", 148, "latin1");
    block.write(typeflag, 156, "latin1");
    block.write("ustar\0", 257, "latin1");
    block.write("00", 263, "latin1");
    block.write(prefix, 345, 155, "utf8");
    let sum = 0;
    for (const byte of block) sum += byte;
    block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
    return block;
  }
  const padded = (data: Buffer): Buffer => Buffer.concat([data, Buffer.alloc((512 - (data.length % 512)) % 512)]);
  const archive = (...blocks: Buffer[]): Buffer => Buffer.concat([...blocks, Buffer.alloc(1024)]);
  const file = (name: string, prefix = ""): Buffer[] => [header(name, "0", 2, prefix), padded(Buffer.from("hi"))];
  const pax = (key: string, value: string): Buffer[] => {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 1;
    while (String(length).length + body.length !== length) length = String(length).length + body.length;
    const record = Buffer.from(`${length}${body}`);
    return [header("PaxHeader", "x", record.length), padded(record)];
  };
  const longName = (name: string): Buffer[] => [header("././@LongLink", "L", name.length + 1), padded(Buffer.from(`${name}\0`))];

  it("refuses `..` and absolute paths however the name is spelled: plain, ustar prefix, pax, GNU long name", () => {
    const cases: [string, Buffer][] = [
      ["../evil", archive(...file("../evil"))],
      ["a/../../evil", archive(...file("a/../../evil"))],
      ["/etc/passwd", archive(...file("/etc/passwd"))],
      ["prefix /etc", archive(...file("passwd", "/etc"))],
      ["prefix ..", archive(...file("evil", "a/../.."))],
      ["pax ../evil", archive(...pax("path", "../evil"), ...file("innocent"))],
      ["pax /abs", archive(...pax("path", "/root/.ssh/authorized_keys"), ...file("innocent"))],
      ["GNU long ../", archive(...longName(`${"d/".repeat(60)}../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../evil`), ...file("innocent"))],
    ];
    for (const [label, tar] of cases) assert.throws(() => readTar(tar), (error: unknown) => error instanceof TarError && /absolute path|points outside the archive/.test((error as Error).message), label);
    assert.deepEqual(readTar(archive(...file("./ok/file"), ...file("inside", "a/b"))).map((e) => e.path), ["ok/file", "a/b/inside"], "harmless names still parse");
  });

  it("a build whose context escapes fails with the reason, and records no image", async () => {
    const t = await startTestRoom({ rooms: ["dev"] });
    const { client } = await connectRoomClient(t.room.url);
    try {
      const context = writeTar([{ path: "Dockerfile", content: "FROM busybox\nCOPY . /app\n" }, { path: "../../outside.txt", content: "x" }]);
      const buildId = await client.containers.build({ tag: "registry.meshagent.com/local/evil:1", mountPath: "/context", contextPath: "/context", dockerfilePath: "/context/Dockerfile", chunks: chunksOf(context, 1000), size: context.length, credentials: [] });
      const logs = client.containers.getBuildLogs({ buildId, follow: true });
      const lines: string[] = [];
      for await (const line of logs.stream) lines.push(line);
      assert.notEqual(await logs.result, 0);
      assert.match(lines.join(""), /points outside the archive/);
      assert.deepEqual(t.room.images(), []);
    } finally {
      await disposeSoon(client);
      await t.dispose();
    }
  });
});

describe("local room files are private", () => {
  let dir: string;
  let umask: number;
  before(async () => {
    dir = await tempDir();
    umask = process.umask(0); // the most permissive: every mode below is set explicitly
  });
  after(async () => {
    process.umask(umask);
  });
  // Registered after the hook above: the dirs are removed once the umask is restored.
  const tempDir = suiteTempDirs("perms");
  const mode = async (file: string): Promise<number> => (await stat(file)).mode & 0o777;

  it("data dir 0700 (also an existing 0777 one); token, state, server marker and lock 0600", async () => {
    const dataDir = path.join(dir, "data");
    await mkdir(dataDir, { mode: 0o777 });
    await chmod(dataDir, 0o777);
    ensureDataDir(dataDir);
    assert.equal(await mode(dataDir), 0o700);
    writeTokenFile(dataDir, "perm-token-0123456789");
    assert.equal(await mode(path.join(dataDir, "token")), 0o600);
    claimServer(dataDir, { url: "http://127.0.0.1:1", pid: process.pid });
    assert.equal(await mode(path.join(dataDir, "server.json")), 0o600);
    const lock = await acquireDirLock(dataDir, { waitMs: 0 });
    assert.equal(await mode(path.join(dataDir, LOCK_FILE)), 0o600);
    lock.release();
    const fresh = path.join(dir, "fresh", "nested");
    const room = await startLocalRoom({ dataDir: fresh, token: "perm-token-0123456789", rooms: ["dev"] });
    await room.close();
    assert.equal(await mode(fresh), 0o700);
    assert.equal(await mode(path.join(fresh, "state.json")), 0o600);
  });
});
