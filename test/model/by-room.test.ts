// Grouping by room keeps both orders the plan and its output rely on: the rooms as first named,
// the services of each room as declared.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { groupByRoom } from "../../src/model/by-room.js";

describe("groupByRoom", () => {
  it("keeps the rooms in first-named order and each room's services in order", () => {
    const services = [{ room: "b", n: 1 }, { room: "a", n: 2 }, { room: "b", n: 3 }, { room: "c", n: 4 }, { room: "a", n: 5 }];
    assert.deepEqual([...groupByRoom(services)], [["b", [services[0], services[2]]], ["a", [services[1], services[4]]], ["c", [services[3]]]]);
    assert.equal(groupByRoom([]).size, 0);
  });
});
