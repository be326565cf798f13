import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { parseEmptyDirMount, parseImageMount, parseProjectMount, parseRoomMount, rsplit, type MountResult } from "../../src/config/mounts.js";

// Outputs of MeshAgent CLI 0.39.9's own helper.py functions (_split_mount_value via
// split_container_mount, split_image_mount, split_empty_dir_mount; subpath as _parse_deploy_storage)
// run with option names "mounts.<kind>": inputs and outputs only.
interface Vector { input: string; value?: unknown; error?: string }
const VECTORS = (JSON.parse(readFileSync(new URL("../fixtures/config/mount-vectors.json", import.meta.url), "utf8")) as { cases: Record<string, Vector[]> }).cases;

const PARSERS: Record<string, (entry: string) => MountResult<unknown>> = {
  room: parseRoomMount,
  project: parseProjectMount,
  images: parseImageMount,
  emptyDirs: parseEmptyDirMount,
};

describe("mount strings match the 0.39.9 CLI", () => {
  for (const [kind, vectors] of Object.entries(VECTORS)) {
    for (const vector of vectors) {
      test(`${kind}: ${JSON.stringify(vector.input)}`, () => {
        const parse = PARSERS[kind];
        assert.ok(parse);
        const expected = vector.error === undefined ? { ok: true, value: vector.value } : { ok: false, message: vector.error };
        assert.deepEqual(parse(vector.input), expected);
      });
    }
  }
});

describe("mount objects", () => {
  test("room: source is the subpath unless it names the whole storage; default read-write", () => {
    assert.deepEqual(parseRoomMount({ source: "logs", path: "/logs" }), { ok: true, value: { path: "/logs", subpath: "logs", readOnly: false } });
    assert.deepEqual(parseRoomMount({ path: "/all" }), { ok: true, value: { path: "/all", subpath: null, readOnly: false } });
    for (const source of ["", ".", "/"]) {
      assert.deepEqual(parseRoomMount({ source, path: "/all", readOnly: true }), { ok: true, value: { path: "/all", subpath: null, readOnly: true } });
    }
  });
  test("project: default read-only", () => {
    assert.deepEqual(parseProjectMount({ source: "shared", path: "/shared" }), { ok: true, value: { path: "/shared", subpath: "shared", readOnly: true } });
    assert.deepEqual(parseProjectMount({ source: "shared", path: "/shared", readOnly: false }), { ok: true, value: { path: "/shared", subpath: "shared", readOnly: false } });
  });
  test("images: default read-only, optional subpath", () => {
    assert.deepEqual(parseImageMount({ image: "alpine:3", path: "/opt" }), { ok: true, value: { image: "alpine:3", path: "/opt", subpath: null, readOnly: true } });
    assert.deepEqual(parseImageMount({ image: "alpine:3", path: "/opt", subpath: "bin", readOnly: false }), {
      ok: true,
      value: { image: "alpine:3", path: "/opt", subpath: "bin", readOnly: false },
    });
  });
  test("emptyDirs: default read-write", () => {
    assert.deepEqual(parseEmptyDirMount({ path: "/tmp" }), { ok: true, value: { path: "/tmp", readOnly: false } });
  });
});

describe("rsplit (Python str.rsplit)", () => {
  test("splits from the right at most maxsplit times", () => {
    assert.deepEqual(rsplit("a:b:c:d", ":", 2), ["a:b", "c", "d"]);
    assert.deepEqual(rsplit("a:b", ":", 2), ["a", "b"]);
    assert.deepEqual(rsplit("ab", ":", 1), ["ab"]);
    assert.deepEqual(rsplit(":", ":", 1), ["", ""]);
  });
});
