import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deleteKey, setKey } from "../../src/local/undoable-map.js";

describe("undoable map edits", () => {
  it("setKey undoes to the previous value, or to no key", () => {
    const map = new Map([["a", 1]]);
    const undoReplace = setKey(map, "a", 2);
    const undoAdd = setKey(map, "b", 3);
    undoAdd();
    undoReplace();
    assert.deepEqual([...map], [["a", 1]]);
  });

  it("deleteKey puts the key back at its place in the order; a missing key is a no-op", () => {
    const map = new Map([["a", 1], ["b", 2], ["c", 3]]);
    const undo = deleteKey(map, "b");
    assert.deepEqual([...map.keys()], ["a", "c"]);
    undo();
    assert.deepEqual([...map], [["a", 1], ["b", 2], ["c", 3]]);
    deleteKey(map, "zz")();
    assert.equal(map.size, 3);
  });
});
