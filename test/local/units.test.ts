// Unit tests of the local room's small pure pieces: group commit, router, paging, state parsing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RequestError } from "../../src/local/errors.js";
import { GroupCommit } from "../../src/local/group-commit.js";
import { decodePath, Router } from "../../src/local/http/router.js";
import { pageParams } from "../../src/local/resources/fields.js";
import { parseState, serializeState, type StateData } from "../../src/local/state.js";

describe("GroupCommit", () => {
  it("batches every commit requested during an in-flight write into the next single write", async () => {
    const releases: (() => void)[] = [];
    const commits = new GroupCommit(() => new Promise<void>((resolve) => releases.push(resolve)));
    const settled: number[] = [];
    const first = commits.commit().then(() => settled.push(1));
    const batched = [2, 3, 4].map((n) => commits.commit().then(() => settled.push(n)));
    await Promise.resolve();
    assert.equal(commits.writes, 1, "the first commit started a write");
    releases[0]?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(settled, [1], "later commits wait for a write that started after them");
    assert.equal(commits.writes, 2, "and share one write");
    releases[1]?.();
    await Promise.all(batched);
    assert.deepEqual(settled, [1, 2, 3, 4]);
    assert.equal(commits.writes, 2);
    await commits.idle();
  });

  it("rejects the whole batch when its write fails, then recovers", async () => {
    let fail = true;
    const commits = new GroupCommit(async () => {
      if (fail) throw new Error("disk full");
    });
    await assert.rejects(commits.commit(), /disk full/);
    fail = false;
    await commits.commit();
  });

  it("a failed write also rejects the commits queued behind it (their changes were rolled back with it)", async () => {
    const releases: ((error?: Error) => void)[] = [];
    const commits = new GroupCommit(() => new Promise<void>((resolve, reject) => releases.push((error) => (error ? reject(error) : resolve()))));
    const first = commits.commit();
    const queued = commits.commit();
    await Promise.resolve();
    releases[0]?.(new Error("disk full"));
    await assert.rejects(first, /disk full/);
    await assert.rejects(queued, /disk full/);
    assert.equal(commits.writes, 1, "no write was made for the rolled-back queue");
    await commits.idle();
  });
});

describe("Router", () => {
  const router = new Router<string>()
    .add("GET", "/a/:x", "get-x")
    .add("PUT", "/a/:x", "put-x")
    .add("GET", "/a/special", "special")
    .add("GET", "/a/:x/b", "b");

  it("matches params, prefers literal segments, and says null for unknown paths", () => {
    assert.deepEqual(router.match("GET", ["a", "1"]), { handler: "get-x", params: { x: "1" } });
    assert.deepEqual(router.match("GET", ["a", "special"]), { handler: "special", params: {} });
    assert.deepEqual(router.match("GET", ["a", "1", "b"]), { handler: "b", params: { x: "1" } });
    assert.equal(router.match("GET", ["a"]), null);
    assert.equal(router.match("GET", ["a", ""]), null, "an empty segment is no parameter");
  });

  it("answers 405 listing the allowed methods, after the guard", () => {
    assert.throws(() => router.match("DELETE", ["a", "1"]), (error: unknown) => {
      assert.ok(error instanceof RequestError);
      assert.equal(error.status, 405);
      assert.equal(error.headers.Allow, "GET, PUT");
      return true;
    });
    assert.throws(() => router.match("DELETE", ["a", "1"], () => {
      throw new RequestError(404, "guarded");
    }), /guarded/);
  });

  it("decodes segments leniently", () => {
    assert.deepEqual(decodePath("/a/b%20c/%zz"), ["a", "b c", "%zz"]);
  });
});

describe("pageParams", () => {
  it("defaults to 100/0, clamps at 1000, and rejects non-integers", () => {
    assert.deepEqual(pageParams(new URLSearchParams(""), "count"), { count: 100, offset: 0 });
    assert.deepEqual(pageParams(new URLSearchParams("count=5000&offset=3"), "count"), { count: 1000, offset: 3 });
    assert.deepEqual(pageParams(new URLSearchParams("limit=7"), "limit"), { count: 7, offset: 0 });
    assert.throws(() => pageParams(new URLSearchParams("offset=-1"), "count"), /"offset" must be a non-negative integer/);
  });
});

describe("state file format", () => {
  it("round-trips", () => {
    const data: StateData = {
      createdAt: "2026-01-01T00:00:00.000Z",
      rooms: [{ room: { id: "r1", name: "dev", metadata: {}, annotations: {} }, services: [{ id: "s1", version: "v1" }] }],
      routes: [{ domain: "a.test", room_name: "dev", port: "80", annotations: {} }],
      secrets: [{ room: "dev", id: "s1", for_identity: null, delegated_to: "a@b", name: "s1", type: "t", data_base64: "eA==" }],
      images: [{ tag: "r/x:1", digest: "sha256:00", build_id: "b1", created_at: "2026-01-01T00:00:00.000Z" }],
    };
    assert.deepEqual(parseState(serializeState(data)), data);
  });

  it("reads a file written before secrets and images existed as empty lists", () => {
    const text = JSON.stringify({ format: "meshdeploy-local-state", version: 1, created_at: "x", rooms: [], routes: [] });
    assert.deepEqual(parseState(text), { createdAt: "x", rooms: [], routes: [], secrets: [], images: [] });
  });
});
