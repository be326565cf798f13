// Dockerfile metadata (src/build-context/dockerfile.ts, deploy-defaults.ts, volume-mounts.ts, dockerfile-find.ts): the cases named
// in the design, every vector in test/fixtures/build/dockerfile-vectors.json (outputs of the CLI's
// own `_parse_packed_dockerfile_metadata` under CPython 3.13, vendored), default ports, the
// runtime override, VOLUME coverage and finding the Dockerfile.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { BuildContextError } from "../../src/build-context/build-error.js";
import { defaultPorts, runtimeOverride } from "../../src/build-context/deploy-defaults.js";
import { findDockerfile, readDockerfileText } from "../../src/build-context/dockerfile-find.js";
import { parseDockerfileMetadata, type DockerfileMetadata } from "../../src/build-context/dockerfile.js";
import { missingVolumeMountSummary, missingVolumeMounts, storageMountPaths } from "../../src/build-context/volume-mounts.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { writeTree } from "./helpers.js";

const APP = fileURLToPath(new URL("../fixtures/build/app", import.meta.url));

describe("parseDockerfileMetadata", () => {
  test("EXPOSE: tcp ports kept in order, /udp dropped, duplicates and junk ignored", () => {
    assert.deepEqual(parseDockerfileMetadata("FROM a\nEXPOSE 8000 8080/tcp 53/udp\n").exposedPorts, [8000, 8080]);
    assert.deepEqual(parseDockerfileMetadata("FROM a\nEXPOSE 8000 8000/TCP 0 70000 abc 9/UDP\n").exposedPorts, [8000]);
  });

  test('VOLUME in JSON and plain forms, normalised like posixpath.normpath', () => {
    const md = parseDockerfileMetadata('FROM a\nVOLUME ["/data"]\nVOLUME /a /b\nVOLUME /a/ //c ///d /e/../f\n');
    assert.deepEqual(md.volumes, ["/data", "/a", "/b", "//c", "/d", "/f"]);
  });

  test("only the final stage counts", () => {
    const md = parseDockerfileMetadata("FROM node AS build\nEXPOSE 1111\nVOLUME /build\nENV A=1\nCMD [\"x\"]\n\nFROM node:slim\nEXPOSE 2222\n");
    assert.deepEqual(md, { exposedPorts: [2222], volumes: [], labels: {}, entrypoint: null, command: null, environment: [], workingDir: null });
  });

  test("line continuations join, comments and blank lines between instructions are skipped", () => {
    const md = parseDockerfileMetadata("FROM a\n# c\n\nENV A=1 \\\n    B=2\nEXPOSE 7000 \\\n  7001\n");
    assert.deepEqual(md.environment, [["A", "1"], ["B", "2"]]);
    assert.deepEqual(md.exposedPorts, [7000, 7001]);
    // Unlike Docker, the CLI keeps a comment line inside a continuation as text, and it ends the
    // instruction (it has no trailing backslash): 7003 is then a separate, unknown instruction.
    const quirk = parseDockerfileMetadata("FROM a\nEXPOSE 7002 \\\n  # note\n  7003\n");
    assert.deepEqual(quirk.exposedPorts, [7002]);
  });

  test("LABEL meshagent.runtime, ENV, WORKDIR, ENTRYPOINT and CMD", () => {
    const text = readFileSync(path.join(APP, "Dockerfile"), "utf8");
    assert.deepEqual(parseDockerfileMetadata(text), {
      exposedPorts: [8000, 8080],
      volumes: ["/data"],
      labels: { "meshagent.runtime": "node", "org.opencontainers.image.title": "demo app" },
      entrypoint: null,
      command: ["server.js"],
      environment: [["PORT", "8000"], ["MODE", "production"]],
      workingDir: "/app",
    });
  });

  test("a quoting error is a BuildContextError (the CLI fails on it too)", () => {
    assert.throws(() => parseDockerfileMetadata('FROM a\nLABEL a="open\n'), (e: unknown) => e instanceof BuildContextError && e.reason === "dockerfile-metadata" && /No closing quotation/.test(e.message));
  });
});

interface Vector {
  text: string;
  metadata?: DockerfileMetadata;
  error?: string;
}

describe("CLI vectors", () => {
  const { cases } = JSON.parse(readFileSync(new URL("../fixtures/build/dockerfile-vectors.json", import.meta.url), "utf8")) as { cases: Vector[] };
  for (const c of cases) {
    test(JSON.stringify(c.text).slice(0, 80), () => {
      if (c.error !== undefined) {
        assert.throws(() => parseDockerfileMetadata(c.text), BuildContextError);
        return;
      }
      assert.deepEqual(parseDockerfileMetadata(c.text), c.metadata);
    });
  }
});

describe("defaultPorts and runtimeOverride", () => {
  const md = (text: string): DockerfileMetadata => parseDockerfileMetadata(`FROM a\n${text}`);

  test("one published http port per EXPOSEd tcp port; none → null; 8078 is reserved", () => {
    assert.deepEqual(defaultPorts(md("EXPOSE 8000 8080/tcp 53/udp")), [
      { num: 8000, type: "http", published: true },
      { num: 8080, type: "http", published: true },
    ]);
    assert.equal(defaultPorts(md("EXPOSE 53/udp")), null);
    assert.throws(() => defaultPorts(md("EXPOSE 8078")), /reserved MeshAgent room infrastructure port; reserved ports: 8078/);
  });

  test("meshagent.runtime=node|python swaps the image and builds the command as the CLI does", () => {
    assert.deepEqual(runtimeOverride(md('LABEL meshagent.runtime=node\nCMD ["server.js"]'), "registry.meshagent.com/p/web:1"), {
      image: "meshagent/node:default",
      command: "node server.js",
      workingDir: "/app",
      imageMount: { image: "registry.meshagent.com/p/web:1", path: "/app", subpath: "app", read_only: true },
    });
    const cases: [string, string][] = [
      ['LABEL meshagent.runtime=" Node "\nENTRYPOINT ["/usr/local/bin/node", "x.js"]\nCMD --port 8000', "/usr/local/bin/node x.js --port 8000"],
      ["LABEL meshagent.runtime=python\nCMD python -m app", "python -m app"],
      ["LABEL meshagent.runtime=python\nCMD [\"-m\", \"my app\", \"it's\"]", `python -m 'my app' 'it'"'"'s'`],
    ];
    for (const [text, command] of cases) assert.equal(runtimeOverride(md(text), "img")?.command, command);
    assert.equal(runtimeOverride(md("LABEL meshagent.runtime=python\nWORKDIR srv\nCMD x"), "img")?.workingDir, "/srv");
  });

  test("no label or an unknown runtime → null; the label without CMD/ENTRYPOINT is an error", () => {
    assert.equal(runtimeOverride(md("CMD x"), "img"), null);
    assert.equal(runtimeOverride(md("LABEL meshagent.runtime=ruby\nCMD x"), "img"), null);
    assert.equal(runtimeOverride(md("LABEL meshagent.runtime=constructor\nCMD x"), "img"), null);
    assert.throws(() => runtimeOverride(md("LABEL meshagent.runtime=node"), "img"), /uses meshagent.runtime=node but does not define CMD or ENTRYPOINT/);
  });
});

describe("missingVolumeMounts", () => {
  test("every VOLUME path needs a mount at exactly that (normalised) path", () => {
    assert.deepEqual(missingVolumeMounts(["/data", "/cache"], ["/data/"]), ["/cache"]);
    assert.deepEqual(missingVolumeMounts(["/data/cache"], ["/data"]), ["/data/cache"]); // a parent does not cover
    assert.deepEqual(missingVolumeMounts(["/a", "/b"], ["/b", "/a"]), []);
  });

  test("storageMountPaths collects room, project, image, empty-dir and config mounts", () => {
    const paths = storageMountPaths({
      room: [{ path: "/r/" }],
      project: [{ path: "/p" }],
      images: [{ image: "x", path: "/i" }],
      empty_dirs: [{ path: "/e" }, { path: "/r" }],
      configs: [{ path: "/c" }],
      files: [{ path: "/f" }],
    });
    assert.deepEqual(paths, ["/r", "/p", "/i", "/e", "/c"]);
    assert.deepEqual(storageMountPaths(null), []);
  });

  test("the error's first sentence is the CLI's", () => {
    assert.equal(missingVolumeMountSummary(["/data"]), "packed Dockerfile final stage declares VOLUME path /data, but the deployed service does not mount it.");
    assert.equal(missingVolumeMountSummary(["/a", "/b"]), "packed Dockerfile final stage declares VOLUME paths /a, /b, but the deployed service does not mount them.");
  });
});

describe("findDockerfile", () => {
  test("Containerfile wins over Dockerfile; the mounted path is under /context", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "Dockerfile": "FROM a\n", "Containerfile": "FROM b\n" });
    const found = await findDockerfile(root);
    assert.equal(found.relativePath, "Containerfile");
    assert.equal(found.mountedPath, "/context/Containerfile");
    assert.equal(await readDockerfileText(root, found), "FROM b\n");
    assert.equal((await findDockerfile(APP)).mountedPath, "/context/Dockerfile");
  });

  test("an explicit path is relative to the context and must stay inside it", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "docker/app.Dockerfile": "FROM a\n" });
    assert.equal((await findDockerfile(root, "docker/app.Dockerfile")).mountedPath, "/context/docker/app.Dockerfile");
    await assert.rejects(findDockerfile(root, "../elsewhere/Dockerfile"), (e: unknown) => e instanceof BuildContextError && e.reason === "dockerfile");
    await assert.rejects(findDockerfile(root, "missing"), /packed Dockerfile does not exist locally/);
  });

  test("no Dockerfile, or one that resolves outside the context", async (t) => {
    const empty = writeTree(testTempDir(t, "build"), { "README": "x" });
    await assert.rejects(findDockerfile(empty), /no Dockerfile or Containerfile found in the packed context/);
    const outside = writeTree(testTempDir(t, "build"), { "Dockerfile": "FROM evil\n" });
    const root = writeTree(testTempDir(t, "build"), { "Dockerfile": { symlink: path.join(outside, "Dockerfile") } });
    const found = await findDockerfile(root);
    await assert.rejects(readDockerfileText(root, found), (e: unknown) => e instanceof BuildContextError && e.reason === "outside-context");
  });

  test("a Dockerfile that is not UTF-8 is refused; a BOM is kept (and hides FROM, as in the CLI)", async (t) => {
    const root = writeTree(testTempDir(t, "build"), { "Dockerfile": Buffer.from([0x46, 0x52, 0xff]) });
    await assert.rejects(readDockerfileText(root, await findDockerfile(root)), (e: unknown) => e instanceof BuildContextError && e.reason === "encoding");
    const bom = writeTree(testTempDir(t, "build"), { "Dockerfile": "\ufeffFROM a\nEXPOSE 1\n" });
    const text = await readDockerfileText(bom, await findDockerfile(bom));
    assert.deepEqual(parseDockerfileMetadata(text).exposedPorts, []);
  });
});
