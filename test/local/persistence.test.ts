// Persistence: restart keeps everything; a crash mid-write (leftover temp file) loads the previous
// state; a corrupt state file is a clear error; concurrent writes group-commit into one file.
import assert from "node:assert/strict";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { describe, it } from "node:test";
import { MeshdeployError } from "../../src/errors.js";
import { LOCK_FILE } from "../../src/local/dir-lock.js";
import { startLocalRoom } from "../../src/local/server.js";
import { defaultIo, type StorageIo } from "../../src/local/journal.js";
import { LocalStore, STATE_FILE } from "../../src/local/store.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";
import { call, PID, serviceBody, servicesPath, TOKEN } from "../helpers/local-room.js";

describe("local room: persistence", () => {
  const tempDir = suiteTempDirs("local");

  it("keeps every room, service and route across a restart", async () => {
    const dataDir = join(await tempDir(), "nested", "state");
    const first = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"] });
    const created = await call(first.url, "POST", `/accounts/projects/${PID}/rooms`, { name: "extra", annotations: { a: "b" } });
    const id = (await call(first.url, "POST", servicesPath(), serviceBody("kept", { ports: [{ num: 8000 }] }))).body.id as string;
    const doomed = (await call(first.url, "POST", servicesPath(), serviceBody("doomed"))).body.id as string;
    await call(first.url, "DELETE", `${servicesPath()}/${doomed}`);
    await call(first.url, "POST", `/accounts/projects/${PID}/routes`, { domain: "kept.example.test", room_name: "dev", port: "8000", annotations: { x: "y" } });
    const project = (await call(first.url, "GET", `/accounts/projects/${PID}`)).body;
    const before = {
      rooms: (await call(first.url, "GET", `/accounts/projects/${PID}/rooms`)).body,
      services: (await call(first.url, "GET", servicesPath())).body,
      routes: (await call(first.url, "GET", `/accounts/projects/${PID}/routes`)).body,
    };
    await first.close();

    assert.equal((await stat(dataDir)).mode & 0o777, 0o700, "data dir is private");
    assert.equal((await stat(join(dataDir, STATE_FILE))).mode & 0o777, 0o600, "state file is private");

    const second = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"] });
    try {
      assert.deepEqual((await call(second.url, "GET", `/accounts/projects/${PID}/rooms`)).body, before.rooms);
      assert.deepEqual((await call(second.url, "GET", `/accounts/projects/${PID}/rooms/extra`)).body, created.body);
      assert.deepEqual((await call(second.url, "GET", servicesPath())).body, before.services);
      assert.equal((await call(second.url, "GET", `${servicesPath()}/${id}`)).body.ports[0].type, "http");
      assert.equal((await call(second.url, "GET", `${servicesPath()}/${doomed}`)).status, 404);
      assert.deepEqual((await call(second.url, "GET", `/accounts/projects/${PID}/routes`)).body, before.routes);
      assert.equal((await call(second.url, "GET", `/accounts/projects/${PID}`)).body.created_at, project.created_at);
    } finally {
      await second.close();
    }
  });

  it("ignores and removes a temp file left by a crash mid-write, loading the previous state", async () => {
    const dataDir = await tempDir();
    const first = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"] });
    const id = (await call(first.url, "POST", servicesPath(), serviceBody("survivor"))).body.id as string;
    await first.close();
    const previous = await readFile(join(dataDir, STATE_FILE), "utf8");
    // A crash after the temp file was written (truncated) but before the rename.
    const leftover = join(dataDir, `.${STATE_FILE}.99999.deadbeef0000.tmp`);
    await writeFile(leftover, previous.slice(0, previous.length / 2));

    const second = await startLocalRoom({ dataDir, token: TOKEN });
    try {
      const listed = (await call(second.url, "GET", servicesPath())).body.services;
      assert.deepEqual(listed.map((service: { id: string }) => service.id), [id]);
      // The open room holds DIR/lock (dir-lock.ts).
      assert.deepEqual((await readdir(dataDir)).sort(), [LOCK_FILE, STATE_FILE], "the leftover temp file is cleaned up");
    } finally {
      await second.close();
    }
  });

  it("refuses to start on a corrupt state file, naming it", async () => {
    const dataDir = await tempDir();
    const file = join(dataDir, STATE_FILE);
    await writeFile(file, '{"format":"meshdeploy-local-state","version":1,"rooms":[');
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN }), (error: unknown) => {
      assert.ok(error instanceof MeshdeployError);
      assert.equal(error.code, "E_LOCAL_ROOM");
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /is corrupt: not valid JSON/);
      return true;
    });
    await writeFile(file, JSON.stringify({ format: "meshdeploy-local-state", version: 1, created_at: "x", rooms: [{ id: "1" }], routes: [] }));
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN }), /rooms\[0\]\.name is not a string/);
    await writeFile(file, JSON.stringify({ format: "meshdeploy-local-state", version: 2 }));
    await assert.rejects(startLocalRoom({ dataDir, token: TOKEN }), /unsupported version 2/);
    assert.ok((await readFile(file, "utf8")).includes('"version":2'), "the bad file is left untouched");
  });

  it("200 concurrent POSTs produce 200 distinct services, all durable in one state file", async () => {
    const dataDir = await tempDir();
    const room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"] });
    let onDiskWhenAnswered = true;
    const ids = await Promise.all(
      Array.from({ length: 200 }, async (_, index) => {
        const result = await call(room.url, "POST", servicesPath(), serviceBody(`svc-${index}`));
        assert.equal(result.status, 200, result.text);
        // The response is sent only after a write containing the service is durable.
        const onDisk = await LocalStore.read(dataDir);
        if (!onDisk.rooms[0]!.services.some((service) => service.id === result.body.id)) onDiskWhenAnswered = false;
        return result.body.id as string;
      }),
    );
    assert.ok(onDiskWhenAnswered, "every answered create was already in the state files");
    assert.equal(new Set(ids).size, 200);
    const listed = (await call(room.url, "GET", servicesPath())).body.services;
    assert.equal(listed.length, 200);
    await room.close();
    assert.deepEqual(await readdir(dataDir), [STATE_FILE]);
    const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), "utf8"));
    assert.equal(state.rooms[0].services.length, 200);
    assert.deepEqual(new Set(state.rooms[0].services.map((service: { id: string }) => service.id)), new Set(ids));
  });

  it("close() lets an in-flight request finish, persists it, and does not wait for keep-alive", async () => {
    const dataDir = await tempDir();
    const room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"] });
    await call(room.url, "GET", "/config"); // leaves an idle keep-alive connection behind
    // The server's "100 Continue" proves it has read the headers: the request is in flight
    // (not a connection still waiting in the accept queue) before close() starts.
    const request = await startRequest(room.url, "POST", servicesPath(), JSON.stringify(serviceBody("last-one")));
    const started = performance.now();
    const closed = room.close();
    request.sendBody();
    await closed;
    assert.ok(performance.now() - started < 2_000, "close does not wait for the keep-alive timeout");
    const result = await request.response;
    assert.equal(result.status, 200, result.text);
    const id = JSON.parse(result.text).id as string;
    const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), "utf8"));
    assert.equal(state.rooms[0].services[0].id, id);
    await room.close(); // idempotent
  });

  it("answers 507 when a write fails (full disk), keeps memory as on disk, and never suggests moving the state away", async () => {
    const dataDir = await tempDir();
    let full = false;
    const enospc = (): never => {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
    };
    const storageIo: StorageIo = {
      append: (handle, data) => (full ? enospc() : defaultIo.append(handle, data)),
      replace: (target, data) => (full ? enospc() : defaultIo.replace(target, data)),
    };
    const room = await startLocalRoom({ dataDir, token: TOKEN, rooms: ["dev"], storageIo });
    try {
      const kept = (await call(room.url, "POST", servicesPath(), serviceBody("kept"))).body.id as string;
      full = true;
      const failed = await call(room.url, "POST", servicesPath(), serviceBody("unlucky"));
      assert.equal(failed.status, 507, failed.text);
      assert.match(failed.body.error.message, /disk is full \(ENOSPC\); the change was not made/);
      assert.match(failed.body.error.message, /free space/);
      assert.doesNotMatch(failed.body.error.message, /move|empty local room|restore/i, "never suggests moving the state away");
      // Nothing acknowledged is lost, nothing unacknowledged is visible: memory is what is on disk.
      const names = async (): Promise<string[]> =>
        (await call(room.url, "GET", servicesPath())).body.services.map((service: { metadata: { name: string } }) => service.metadata.name);
      assert.deepEqual(await names(), ["kept"], "the refused create is not in memory");
      const before = (await call(room.url, "GET", `${servicesPath()}/${kept}`)).body;
      assert.equal((await call(room.url, "PUT", `${servicesPath()}/${kept}`, serviceBody("kept", { ports: [{ num: 9000 }] }))).status, 507);
      assert.equal((await call(room.url, "DELETE", `${servicesPath()}/${kept}`)).status, 507);
      assert.deepEqual((await call(room.url, "GET", `${servicesPath()}/${kept}`)).body, before, "the refused update is not in memory");
      assert.deepEqual(await names(), ["kept"], "the refused delete is not in memory");
      full = false;
      assert.equal((await call(room.url, "POST", servicesPath(), serviceBody("lucky"))).status, 200);
      assert.deepEqual(await names(), ["kept", "lucky"]);
      const state = await LocalStore.read(dataDir);
      assert.deepEqual(state.rooms[0]!.services.map((service) => (service.metadata as { name: string }).name), ["kept", "lucky"]);
    } finally {
      await room.close();
    }
    const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), "utf8"));
    assert.deepEqual(state.rooms[0].services.map((service: { metadata: { name: string } }) => service.metadata.name), ["kept", "lucky"]);
    assert.deepEqual(await readdir(dataDir), [STATE_FILE], "a clean stop folds the journal into the state file");
  });

  it("reports a taken port as E_LOCAL_ROOM", async () => {
    const a = await startLocalRoom({ dataDir: await tempDir(), token: TOKEN });
    try {
      await assert.rejects(startLocalRoom({ dataDir: await tempDir(), token: TOKEN, port: a.port }), /already in use/);
    } finally {
      await a.close();
    }
  });
});

interface StartedRequest {
  /** Sends the body; the server has already answered "100 Continue". */
  sendBody(): void;
  readonly response: Promise<{ status: number; text: string }>;
}

/** A request over a raw socket that waits for "100 Continue" before its body is sent. */
async function startRequest(baseUrl: string, method: string, path: string, body: string): Promise<StartedRequest> {
  const url = new URL(baseUrl);
  const socket = connect(Number(url.port), url.hostname);
  let received = "";
  let continued: () => void = () => undefined;
  const gotContinue = new Promise<void>((resolve) => (continued = resolve));
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (/^HTTP\/1\.1 100 /.test(received)) continued();
    });
    socket.on("end", () => {
      const final = received.replace(/^HTTP\/1\.1 100 [^\r]*\r\n\r\n/, "");
      const [head = "", ...rest] = final.split("\r\n\r\n");
      resolve({ status: Number(head.split(" ")[1]), text: rest.join("\r\n\r\n") });
    });
  });
  socket.write(
    [
      `${method} ${path} HTTP/1.1`,
      `Host: ${url.host}`,
      `Authorization: Bearer ${TOKEN}`,
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      "Expect: 100-continue",
      "Connection: close",
      "",
      "",
    ].join("\r\n"),
  );
  await Promise.race([gotContinue, response.then(() => assert.fail(`answered before the body was sent: ${received}`))]);
  return { sendBody: () => socket.write(body), response };
}
