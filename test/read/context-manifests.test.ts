// What meshdeploy last built per service (.meshdeploy/contexts.json): concurrent builds all land,
// and a file that cannot be written never fails the build that triggered it.
import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { ContextManifests } from "../../src/read/context-manifests.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

describe("context manifests", () => {
  const tempDir = suiteTempDirs("manifests");

  it("twenty builds finishing at once are all recorded, and no temp file is left", async () => {
    const dir = await tempDir();
    const manifests = new ContextManifests(dir);
    const names = Array.from({ length: 20 }, (_, index) => `svc-${index}`);
    await Promise.all(names.map((name) => manifests.set("dev", name, { hash: `sha256:${name}`, files: { "app.js": name } })));
    const reread = new ContextManifests(dir);
    for (const name of names) assert.deepEqual(await reread.get("dev", name), { hash: `sha256:${name}`, files: { "app.js": name } });
    assert.deepEqual((await readdir(path.join(dir, ".meshdeploy"))).sort(), [".gitignore", "contexts.json"]);
  });

  it("keys by room and name", async () => {
    const manifests = new ContextManifests(await tempDir());
    await manifests.set("dev", "web", { hash: "a", files: {} });
    assert.equal(await manifests.get("prod", "web"), null);
    assert.equal((await manifests.get("dev", "web"))?.hash, "a");
  });

  it("an unwritable state directory is ignored: set resolves, get still answers from memory", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy"), "a file where the directory should be");
    const manifests = new ContextManifests(dir);
    await manifests.set("dev", "web", { hash: "a", files: {} });
    assert.equal((await manifests.get("dev", "web"))?.hash, "a");
    assert.equal(await readFile(path.join(dir, ".meshdeploy"), "utf8"), "a file where the directory should be");
  });

  it("a corrupt file reads as empty (names of changed files are then unknown)", async () => {
    const dir = await tempDir();
    await new ContextManifests(dir).set("dev", "web", { hash: "a", files: {} });
    await writeFile(path.join(dir, ".meshdeploy", "contexts.json"), "{not json");
    assert.equal(await new ContextManifests(dir).get("dev", "web"), null);
  });
});
