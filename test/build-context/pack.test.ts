// packContext (src/build-context/pack.ts) end to end on the committed fixture test/fixtures/build/app
// (multi-stage Dockerfile, a .dockerignore that also lists the Dockerfile) and on temp copies.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { BuildContextError } from "../../src/build-context/build-error.js";
import { changedFiles, HashCache } from "../../src/build-context/context-hash.js";
import { packContext } from "../../src/build-context/pack.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { collect } from "./helpers.js";

const APP = fileURLToPath(new URL("../fixtures/build/app", import.meta.url));

function copyApp(t: TestContext): string {
  const dir = path.join(testTempDir(t, "build"), "app");
  cpSync(APP, dir, { recursive: true });
  return dir;
}

describe("packContext", () => {
  test("the fixture app: what is packed, the Dockerfile path, the size", async () => {
    const packed = await packContext(APP);
    assert.deepEqual(
      packed.entries.map((e) => `${e.type} ${e.path}`),
      ["dir src", "file .dockerignore", "file Dockerfile", "file README.md", "file keep.log", "dir src/util", "file src/index.js", "file src/util/helper.js"],
    );
    assert.equal(packed.dockerfilePath, "/context/Dockerfile");
    assert.equal(packed.dockerfile.relativePath, "Dockerfile");
    assert.match(packed.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual([...packed.files.keys()], [".dockerignore", "Dockerfile", "README.md", "keep.log", "src/index.js", "src/util/helper.js"]);
    const { bytes, sizes } = await collect(packed.chunks());
    assert.equal(bytes.length, packed.size);
    assert.ok(sizes.every((n) => n <= 1024 * 1024));
    const again = await collect(packed.chunks()); // every call streams afresh
    assert.deepEqual(again.bytes, bytes);
  });

  test("the tar extracts to exactly the packed files", async (t) => {
    const packed = await packContext(APP);
    const archive = path.join(testTempDir(t, "build"), "context.tar");
    writeFileSync(archive, (await collect(packed.chunks())).bytes);
    const names = execFileSync("tar", ["-tf", archive]).toString("utf8").trim().split("\n");
    assert.deepEqual(names, ["src/", ".dockerignore", "Dockerfile", "README.md", "keep.log", "src/util/", "src/index.js", "src/util/helper.js"]);
  });

  test("the hash depends on content only: a copy with new mtimes hashes the same", async (t) => {
    const copy = copyApp(t);
    execFileSync("find", [copy, "-exec", "touch", "-d", "@1000000000", "{}", "+"]);
    assert.equal((await packContext(copy)).hash, (await packContext(APP)).hash);
  });

  test("a shared cache: after a one-file edit only that file differs", async (t) => {
    const dir = copyApp(t);
    const cache = new HashCache();
    const before = await packContext(dir, { cache });
    writeFileSync(path.join(dir, "src/index.js"), 'console.log("bye");\n');
    const after = await packContext(dir, { cache });
    assert.notEqual(after.hash, before.hash);
    assert.deepEqual(changedFiles(before, after), ["src/index.js"]);
    writeFileSync(path.join(dir, "debug.log"), "ignored, so the hash is unchanged\n");
    assert.equal((await packContext(dir, { cache })).hash, after.hash);
  });

  test("an explicit Dockerfile and a missing one", async (t) => {
    const dir = copyApp(t);
    writeFileSync(path.join(dir, "src/alt.Dockerfile"), "FROM scratch\n");
    assert.equal((await packContext(dir, { dockerfile: "src/alt.Dockerfile" })).dockerfilePath, "/context/src/alt.Dockerfile");
    await assert.rejects(packContext(path.join(dir, "src")), (e: unknown) => e instanceof BuildContextError && e.reason === "dockerfile");
  });
});
