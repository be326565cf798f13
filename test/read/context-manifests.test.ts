// What meshdeploy last built per service (.meshdeploy/contexts.json): concurrent builds all land,
// and a file that cannot be written never fails the build that triggered it.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, it } from "node:test";
import { changedFiles } from "../../src/build-context/context-hash.js";
import { changedSince, ContextManifests, manifestOf } from "../../src/read/context-manifests.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

describe("context manifests", () => {
  const tempDir = suiteTempDirs("manifests");

  it("twenty builds finishing at once are all recorded, and no temp file is left", async () => {
    const dir = await tempDir();
    const manifests = new ContextManifests(dir);
    const names = Array.from({ length: 20 }, (_, index) => `svc-${index}`);
    await Promise.all(names.map((name) => manifests.set("dev", name, manifestOf(`sha256:${name}`, new Map([["app.js", sha(name)]])))));
    const reread = new ContextManifests(dir);
    for (const name of names) assert.deepEqual(await reread.get("dev", name), { hash: `sha256:${name}`, paths: ["app.js"], shas: sha(name) });
    assert.deepEqual((await readdir(path.join(dir, ".meshdeploy"))).sort(), [".gitignore", "contexts.json"]);
  });

  it("keys by room and name", async () => {
    const manifests = new ContextManifests(await tempDir());
    await manifests.set("dev", "web", manifestOf("a", new Map()));
    assert.equal(await manifests.get("prod", "web"), null);
    assert.equal((await manifests.get("dev", "web"))?.hash, "a");
  });

  it("an unwritable state directory is ignored: set resolves, get still answers from memory", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ".meshdeploy"), "a file where the directory should be");
    const manifests = new ContextManifests(dir);
    await manifests.set("dev", "web", manifestOf("a", new Map()));
    assert.equal((await manifests.get("dev", "web"))?.hash, "a");
    assert.equal(await readFile(path.join(dir, ".meshdeploy"), "utf8"), "a file where the directory should be");
  });

  it("a corrupt file reads as empty (names of changed files are then unknown)", async () => {
    const dir = await tempDir();
    await new ContextManifests(dir).set("dev", "web", manifestOf("a", new Map()));
    await writeFile(path.join(dir, ".meshdeploy", "contexts.json"), "{not json");
    assert.equal(await new ContextManifests(dir).get("dev", "web"), null);
  });

  it("an earlier version's {hash, files} record is still read", async () => {
    const dir = await tempDir();
    await new ContextManifests(dir).set("dev", "web", manifestOf("a", new Map()));
    const old = { "dev/web": { hash: "h", files: { "b.txt": sha("b"), "a.txt": sha("a"), bad: "not a sha" } }, "dev/odd": { hash: 1 } };
    await writeFile(path.join(dir, ".meshdeploy", "contexts.json"), JSON.stringify(old));
    const read = new ContextManifests(dir);
    assert.deepEqual(await read.get("dev", "web"), { hash: "h", paths: ["b.txt", "a.txt"], shas: sha("b") + sha("a") });
    assert.equal(await read.get("dev", "odd"), null);
  });

  it("changedSince names edited, added and removed files in byte order, whatever the pack order", () => {
    // Pack order (os.walk): a directory's files before its sub-directories' — not byte order.
    const built = new Map([["z.txt", sha("z")], ["a/\uff61", sha("1")], ["a/\ud83d\ude00", sha("2")], ["a/b.txt", sha("b")]]);
    const manifest = manifestOf("h1", built);
    assert.deepEqual(changedSince(manifest, built), []);
    const edited = new Map([["z.txt", sha("Z")], ["a/\uff61", sha("1")], ["a/\ud83d\ude00", sha("2!")], ["a/b.txt", sha("b")]]);
    // U+FF61 before U+1F600 by code point (UTF-8 bytes), after it in UTF-16 units.
    assert.deepEqual(changedSince(manifest, edited), ["a/\ud83d\ude00", "z.txt"]);
    const moved = new Map([["z.txt", sha("z")], ["a/\uff61", sha("1")], ["a/new", sha("n")], ["a/b.txt", sha("b")]]);
    assert.deepEqual(changedSince(manifest, moved), ["a/new", "a/\ud83d\ude00"]);
    const fewer = new Map([["z.txt", sha("z")], ["a/b.txt", sha("B")]]);
    assert.deepEqual(changedSince(manifest, fewer), ["a/b.txt", "a/\uff61", "a/\ud83d\ude00"]);
  });

  it("changedSince agrees with changedFiles on 300 seeded random edits, additions, removals and moves", () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 300; round += 1) {
      const before = new Map(Array.from({ length: random(40) }, (_, i) => [`f${i}`, sha(`v${i}`)] as [string, string]));
      const entries = [...before];
      for (let k = random(6); k > 0; k -= 1) {
        const op = random(4);
        const at = random(entries.length + 1);
        if (op === 0 && entries.length > 0) entries.splice(at % entries.length, 1);
        else if (op === 1) entries.splice(at, 0, [`new${round}-${k}`, sha(`n${k}`)]);
        else if (op === 2 && entries.length > 0) entries[at % entries.length] = [entries[at % entries.length]![0], sha(`e${k}`)];
        else if (entries.length > 1) entries.splice(random(entries.length), 0, ...entries.splice(at % entries.length, 1));
      }
      const after = new Map(entries);
      assert.deepEqual(changedSince(manifestOf("h", before), after), changedFiles(before, after), `round ${round}`);
    }
  });
});
