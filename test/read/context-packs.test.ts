// One run's packs (src/read/context-packs.ts): a context asked for twice in a run (the offline
// check, then the read phase; or two services sharing it) is walked and hashed once; a different
// Dockerfile or exclusion is a different pack.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { HashCache } from "../../src/build-context/context-hash.js";
import { ContextPacks } from "../../src/read/context-packs.js";
import { testTempDir } from "../helpers/temp-dirs.js";

test("the same context is packed once per run; another Dockerfile or exclusion is packed apart", async (t) => {
  const dir = testTempDir(t, "packs");
  mkdirSync(path.join(dir, "ctx", "state"), { recursive: true });
  writeFileSync(path.join(dir, "ctx", "Dockerfile"), "FROM scratch\n");
  writeFileSync(path.join(dir, "ctx", "Other.Dockerfile"), "FROM scratch\n");
  writeFileSync(path.join(dir, "ctx", "state", "x"), "x\n");
  const packs = new ContextPacks();
  const cache = new HashCache();
  const first = await packs.pack(path.join(dir, "ctx"), { dockerfile: null, cache, exclude: [] });
  assert.equal(await packs.pack(path.join(dir, "ctx", "."), { dockerfile: null, cache, exclude: [] }), first);
  const other = await packs.pack(path.join(dir, "ctx"), { dockerfile: "Other.Dockerfile", cache, exclude: [] });
  assert.notEqual(other, first);
  assert.equal(other.dockerfile.relativePath, "Other.Dockerfile");
  const excluded = await packs.pack(path.join(dir, "ctx"), { dockerfile: null, cache, exclude: [path.join(dir, "ctx", "state")] });
  assert.ok(first.files.has("state/x"));
  assert.ok(!excluded.files.has("state/x"));
  await assert.rejects(packs.pack(path.join(dir, "missing"), { dockerfile: null, cache, exclude: [] }));
});
