// The store's journal (journal.ts): a change is one appended line, not a state rewrite; a torn
// last line is dropped on open; compaction folds the journal into a new snapshot generation, and a
// journal left behind by a crash during compaction is ignored; a failed write rolls back.
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { defaultIo, journalHeader, type StorageIo } from "../../src/local/journal.js";
import { JOURNAL_FILE, LocalStore, STATE_FILE, StoreWriteError } from "../../src/local/store.js";
import type { ServiceRecord } from "../../src/local/state.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const room = { id: "r1", name: "dev", metadata: {}, annotations: {} };
const service = (id: string, name = id): ServiceRecord => ({ id, metadata: { name }, container: { image: `img/${id}:1` } });
const names = (store: LocalStore): string[] => (store.listServices("dev") ?? []).map((s) => (s.metadata as { name: string }).name);

describe("local room store: journal", () => {
  const tempDir = suiteTempDirs("store-journal");

  it("appends one line per change and leaves the snapshot alone", async () => {
    const dataDir = await tempDir();
    const store = await LocalStore.open(dataDir);
    await store.addRoom(room);
    const snapshot = await readFile(join(dataDir, STATE_FILE), "utf8");
    for (let index = 0; index < 5; index += 1) await store.putService("dev", service(`s${index}`));
    await store.deleteService("dev", "s1");
    assert.equal(await readFile(join(dataDir, STATE_FILE), "utf8"), snapshot, "the snapshot is not rewritten per change");
    const journal = await readFile(join(dataDir, JOURNAL_FILE), "utf8");
    assert.equal(journal.split("\n").length - 1, 1 + 6, "a header and one line per change");
    assert.deepEqual(names(await openRead(dataDir)), ["s0", "s2", "s3", "s4"]);
    await store.close();
    assert.deepEqual((await readdir(dataDir)).sort(), [STATE_FILE], "close folds the journal into the snapshot");
    assert.deepEqual(names(await openRead(dataDir)), ["s0", "s2", "s3", "s4"]);
  });

  it("drops a torn last line (a crash mid-append) and cuts it away before the next append", async () => {
    const dataDir = await tempDir();
    const store = await LocalStore.open(dataDir);
    await store.addRoom(room);
    await store.putService("dev", service("a"));
    const journal = await readFile(join(dataDir, JOURNAL_FILE), "utf8");
    await writeFile(join(dataDir, JOURNAL_FILE), `${journal}{"op":"service","room":"dev","serv`);
    const again = await LocalStore.open(dataDir);
    assert.deepEqual(names(again), ["a"]);
    assert.equal(await readFile(join(dataDir, JOURNAL_FILE), "utf8"), journal, "the torn tail is gone");
    await again.putService("dev", service("b"));
    assert.deepEqual(names(await openRead(dataDir)), ["a", "b"]);
    await again.close();
  });

  it("ignores a journal of an older generation (a crash between the snapshot and the new journal) and refuses a newer one", async () => {
    const dataDir = await tempDir();
    const store = await LocalStore.open(dataDir);
    await store.addRoom(room);
    await store.putService("dev", service("a"));
    await store.close(); // snapshot generation 2, no journal
    const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), "utf8"));
    const stale = `${journalHeader(state.journal - 1)}${JSON.stringify({ op: "-service", room: "dev", id: "a" })}\n`;
    await writeFile(join(dataDir, JOURNAL_FILE), stale);
    assert.deepEqual(names(await openRead(dataDir)), ["a"], "its changes are already in the snapshot");
    await writeFile(join(dataDir, JOURNAL_FILE), journalHeader(state.journal + 1));
    await assert.rejects(LocalStore.open(dataDir), /state\.journal is of generation \d+, newer than its state\.json/);
  });

  it("compacts once the journal outgrows the snapshot: a new snapshot, an empty journal", async () => {
    const dataDir = await tempDir();
    const store = await LocalStore.open(dataDir);
    await store.addRoom(room);
    const big = "x".repeat(64 * 1024);
    for (let index = 0; index < 70; index += 1) await store.putService("dev", { ...service("a"), container: { image: "i:1", command: `${big}${index}` } });
    const state = JSON.parse(await readFile(join(dataDir, STATE_FILE), "utf8"));
    assert.ok(state.journal > 1, "a compaction wrote a newer snapshot generation");
    assert.ok((await readFile(join(dataDir, JOURNAL_FILE), "utf8")).length < 70 * big.length, "the journal was restarted");
    assert.equal(((await openRead(dataDir)).getService("dev", "a")!.container as { command: string }).command, `${big}69`);
    await store.close();
  });

  it("a failed write rolls back every change not yet durable, restoring positions, and rejects them all", async () => {
    const dataDir = await tempDir();
    let full = false;
    const fail = (): never => {
      throw Object.assign(new Error("no space"), { code: "ENOSPC" });
    };
    const io: StorageIo = {
      append: (handle, data) => (full ? fail() : defaultIo.append(handle, data)),
      replace: (target, data) => (full ? fail() : defaultIo.replace(target, data)),
    };
    const store = await LocalStore.open(dataDir, { io });
    await store.addRoom(room);
    for (const id of ["a", "b", "c"]) await store.putService("dev", service(id));
    full = true;
    const results = await Promise.allSettled([
      store.deleteService("dev", "b"),
      store.putService("dev", service("a", "renamed")),
      store.putService("dev", service("d")),
      store.putRoute({ domain: "x.test", room_name: "dev", port: "80", annotations: {} }),
    ]);
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok((result as PromiseRejectedResult).reason instanceof StoreWriteError);
      assert.match(String((result as PromiseRejectedResult).reason.hint), /free space/);
      assert.doesNotMatch(String((result as PromiseRejectedResult).reason.hint), /move/);
    }
    assert.deepEqual(names(store), ["a", "b", "c"], "order and values as before");
    assert.equal(store.serviceNamed("dev", "renamed", ""), undefined, "the name index was rolled back too");
    assert.equal(store.serviceNamed("dev", "a", ""), "a");
    assert.equal(store.getRoute("x.test"), undefined);
    full = false;
    await store.putService("dev", service("e"));
    assert.deepEqual(names(await openRead(dataDir)), ["a", "b", "c", "e"]);
    await store.close();
  });
});

/** What a fresh open would load (read-only view of the persisted state). */
async function openRead(dataDir: string): Promise<LocalStore> {
  const data = await LocalStore.read(dataDir);
  return { listServices: () => data.rooms[0]?.services, getService: (_r: string, id: string) => data.rooms[0]?.services.find((s) => s.id === id) } as unknown as LocalStore;
}
