// Data directory helpers: private dir, token file, single-instance marker.
import assert from "node:assert/strict";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { claimServer, ensureDataDir, findRunningServer, readTokenFile, releaseServer, writeTokenFile } from "../../src/local/data-dir.js";
import { deadPid, suiteTempDirs } from "../helpers/temp-dirs.js";

describe("local room: data dir", () => {
  const tempDir = suiteTempDirs("local");

  it("ensureDataDir creates nested dirs with mode 0700 and tightens an existing one", async () => {
    const root = await tempDir();
    const dir = join(root, "a", "b");
    ensureDataDir(dir);
    assert.equal((await stat(dir)).mode & 0o777, 0o700);
    const loose = join(root, "loose");
    await mkdir(loose);
    await chmod(loose, 0o755);
    ensureDataDir(loose);
    assert.equal((await stat(loose)).mode & 0o777, 0o700);
  });

  it("writes the token file with mode 0600 and reads it back", async () => {
    const dir = await tempDir();
    assert.equal(readTokenFile(dir), null);
    writeTokenFile(dir, "tok-1");
    assert.equal((await stat(join(dir, "token"))).mode & 0o777, 0o600);
    assert.equal(readTokenFile(dir), "tok-1");
    writeTokenFile(dir, "tok-2");
    assert.equal(readTokenFile(dir), "tok-2");
    await writeFile(join(dir, "token"), "  \n");
    assert.equal(readTokenFile(dir), null);
  });

  it("claims, finds and releases the single-instance marker", async () => {
    const dir = await tempDir();
    assert.equal(findRunningServer(dir), null);
    claimServer(dir, { url: "http://127.0.0.1:8787", pid: process.pid });
    assert.deepEqual(findRunningServer(dir), { url: "http://127.0.0.1:8787", pid: process.pid });
    assert.equal((await stat(join(dir, "server.json"))).mode & 0o777, 0o600);
    releaseServer(dir);
    assert.equal(findRunningServer(dir), null);
    await assert.rejects(readFile(join(dir, "server.json")), /ENOENT/);
  });

  it("treats a marker of a dead process or a corrupt marker as no server, and replaces it", async () => {
    const dir = await tempDir();
    const gone = deadPid();
    claimServer(dir, { url: "http://127.0.0.1:1", pid: gone });
    assert.equal(findRunningServer(dir), null);
    claimServer(dir, { url: "http://127.0.0.1:2", pid: process.pid });
    assert.equal(findRunningServer(dir)?.url, "http://127.0.0.1:2");
    await writeFile(join(dir, "server.json"), "{not json");
    assert.equal(findRunningServer(dir), null);
  });

  it("refuses to claim over another live server, and release leaves another live claim alone", async () => {
    const dir = await tempDir();
    const parent = process.ppid; // alive for the duration of the test
    claimServer(dir, { url: "http://127.0.0.1:3", pid: parent });
    assert.throws(() => claimServer(dir, { url: "http://127.0.0.1:4", pid: process.pid }), /already running .* at http:\/\/127\.0\.0\.1:3/);
    releaseServer(dir);
    assert.equal(findRunningServer(dir)?.pid, parent);
    releaseServer(dir, parent);
    assert.equal(findRunningServer(dir), null);
  });

  it("a marker whose pid now belongs to another process (a reused pid, pid 1 in containers) is no server", async () => {
    const dir = await tempDir();
    claimServer(dir, { url: "http://127.0.0.1:5", pid: process.pid });
    const marker = JSON.parse(await readFile(join(dir, "server.json"), "utf8")) as Record<string, unknown>;
    assert.equal(typeof marker["start"], "number", "the marker records the process's start time");
    // What a killed `local serve` that had this pid leaves: another run, another start tick.
    await writeFile(join(dir, "server.json"), JSON.stringify({ ...marker, nonce: "an-earlier-run", start: (marker["start"] as number) + 777 }));
    assert.equal(findRunningServer(dir), null);
    // An old marker (pid only) naming a live process that is not Node (`sleep`, an init): no server either.
    await writeFile(join(dir, "server.json"), JSON.stringify({ url: "http://127.0.0.1:6", pid: process.pid }));
    assert.equal(findRunningServer(dir), null, "a bare pid naming this very process was never written by it");
  });
});
