// A room's services and their name index stay in step through put, replace, remove and restore.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { newRoomEntry, removeService, restoreService, setService } from "../../src/local/room-entry.js";
import type { RoomRecord, ServiceRecord } from "../../src/local/state.js";
import { indexOf } from "../../src/local/undoable-map.js";

const svc = (id: string, name: string): ServiceRecord => ({ id, metadata: { name } }) as unknown as ServiceRecord;
const names = (entry: ReturnType<typeof newRoomEntry>) => Object.fromEntries([...entry.names].map(([n, ids]) => [n, [...ids]]));

describe("local/room-entry", () => {
  it("renaming a service moves it in the index; removing it leaves no empty name behind", () => {
    const entry = newRoomEntry({ name: "dev" } as RoomRecord);
    setService(entry, svc("a", "web"));
    setService(entry, svc("b", "api"));
    setService(entry, svc("a", "www"));
    assert.deepEqual(names(entry), { api: ["b"], www: ["a"] });
    removeService(entry, "a");
    assert.deepEqual(names(entry), { api: ["b"] });
    assert.deepEqual([...entry.services.keys()], ["b"]);
  });

  it("restore puts a removed service back at its position, indexed", () => {
    const entry = newRoomEntry({ name: "dev" } as RoomRecord);
    for (const [id, name] of [["a", "one"], ["b", "two"], ["c", "three"]] as const) setService(entry, svc(id, name));
    const previous = entry.services.get("b")!;
    const position = indexOf(entry.services, "b");
    removeService(entry, "b");
    restoreService(entry, previous, position);
    assert.deepEqual([...entry.services.keys()], ["a", "b", "c"]);
    assert.deepEqual(names(entry)["two"], ["b"]);
  });
});
