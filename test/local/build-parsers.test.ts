// The pure readers behind the local build: tar archives, Dockerfile syntax, COPY globs and
// instruction arguments.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DockerfileError, parseDockerfile } from "../../src/local/builds/dockerfile.js";
import { globToRegExp } from "../../src/local/builds/glob.js";
import { expandVariables, parseEnvDefinitions, parseFrom, parseList, splitFlags } from "../../src/local/builds/instruction-args.js";
import { readTar, TarError } from "../../src/local/builds/tar-reader.js";
import { testTempDir } from "../helpers/temp-dirs.js";
import { writeTar } from "./tar-writer.js";

describe("tar reader", () => {
  it("reads files, directories, symlinks and pax long names", () => {
    const longPath = `deep/${"d".repeat(120)}/file.txt`;
    const entries = readTar(writeTar([
      { path: "./Dockerfile", content: "FROM x" },
      { path: "src", type: "directory" },
      { path: "src/a.js", content: "a".repeat(600) },
      { path: "link", type: "symlink", linkTarget: "src/a.js" },
      { path: longPath, content: "long" },
    ]));
    assert.deepEqual(entries.map(({ path, type, size, linkTarget }) => ({ path, type, size, linkTarget })), [
      { path: "Dockerfile", type: "file", size: 6, linkTarget: "" },
      { path: "src", type: "directory", size: 0, linkTarget: "" },
      { path: "src/a.js", type: "file", size: 600, linkTarget: "" },
      { path: "link", type: "symlink", size: 0, linkTarget: "src/a.js" },
      { path: longPath, type: "file", size: 4, linkTarget: "" },
    ]);
    assert.equal(entries[2]?.data.toString(), "a".repeat(600));
  });

  it("reads what the system tar writes (GNU and pax formats)", async (t) => {
    const dir = testTempDir(t, "tar");
    await mkdir(join(dir, "ctx", "app"), { recursive: true });
    await writeFile(join(dir, "ctx", "Dockerfile"), "FROM alpine\n");
    await writeFile(join(dir, "ctx", "app", `${"n".repeat(130)}.js`), "x");
    for (const format of ["gnu", "pax"]) {
      let archive: Buffer;
      try {
        archive = execFileSync("tar", [`--format=${format}`, "-cf", "-", "-C", join(dir, "ctx"), "."]);
      } catch {
        t.skip("no GNU tar on this machine");
        return;
      }
      const files = readTar(archive).filter((entry) => entry.type === "file").map((entry) => entry.path).sort();
      assert.deepEqual(files, ["Dockerfile", `app/${"n".repeat(130)}.js`], format);
    }
  });

  it("refuses absolute paths, .. components, bad checksums and truncated data", () => {
    assert.throws(() => readTar(writeTar([{ path: "/etc/passwd", content: "x" }])), /absolute path/);
    assert.throws(() => readTar(writeTar([{ path: "a/../../x", content: "x" }])), /outside the archive/);
    const damaged = writeTar([{ path: "a", content: "x" }]);
    damaged[0] = 0x41;
    assert.throws(() => readTar(damaged), TarError);
    assert.throws(() => readTar(Buffer.from("this is not a tar archive".padEnd(600, "!"))), /checksum|malformed/);
    const truncated = writeTar([{ path: "a", content: "x".repeat(2000) }]).subarray(0, 1024);
    assert.throws(() => readTar(truncated), /archive ends first/);
    assert.deepEqual(readTar(Buffer.alloc(0)), []);
  });
});

describe("Dockerfile parser", () => {
  it("joins continuations, skips comments inside them, and keeps first lines", () => {
    const instructions = parseDockerfile("# comment\n\nfrom alpine AS base\nRUN apk add \\\n  # a comment inside\n\n  curl\nCOPY . /app\n");
    assert.deepEqual(instructions.map(({ keyword, args, line }) => ({ keyword, args, line })), [
      { keyword: "FROM", args: "alpine AS base", line: 3 },
      { keyword: "RUN", args: "apk add   curl", line: 4 },
      { keyword: "COPY", args: ". /app", line: 8 },
    ]);
  });

  it("honours the escape directive and reads heredocs", () => {
    const backtick = parseDockerfile("# escape=`\nFROM windows\nRUN dir `\n  c:\\\n");
    assert.equal(backtick[1]?.args, "dir   c:\\");
    const heredoc = parseDockerfile("FROM alpine\nRUN <<EOF\necho hi\nFROM not-an-instruction\nEOF\nCOPY <<-END /x\n\tcontent\n\tEND\n");
    assert.deepEqual(heredoc.map((instruction) => instruction.keyword), ["FROM", "RUN", "COPY"]);
    assert.deepEqual(heredoc[1]?.heredocs, [{ name: "EOF", body: "echo hi\nFROM not-an-instruction" }]);
    assert.deepEqual(heredoc[2]?.heredocs, [{ name: "END", body: "content" }]);
    assert.throws(() => parseDockerfile("FROM a\nRUN <<EOF\necho\n"), (error: DockerfileError) => error.line === 2 && /not terminated/.test(error.message));
  });
});

describe("COPY globs and instruction arguments", () => {
  it("matches *, ?, [..] within a segment and ** across segments", () => {
    const cases: [string, string, boolean][] = [
      ["*.js", "a.js", true],
      ["*.js", "src/a.js", false],
      ["src/?.js", "src/a.js", true],
      ["src/[ab].js", "src/c.js", false],
      ["src/[!ab].js", "src/c.js", true],
      ["**/*.js", "a.js", true],
      ["**/*.js", "deep/er/a.js", true],
      ["src/**", "src/x/y", true],
      ["src/**/b.txt", "src/b.txt", true],
      ["src/**/b.txt", "src/x/y/b.txt", true],
      ["a.b", "axb", false],
    ];
    for (const [pattern, path, expected] of cases) assert.equal(globToRegExp(pattern).test(path), expected, `${pattern} ~ ${path}`);
  });

  it("reads flags, JSON and word lists, FROM, ENV and variables", () => {
    assert.deepEqual(splitFlags("--from=build --link --chown=1:1 a b"), { flags: new Map([["from", "build"], ["link", ""], ["chown", "1:1"]]), rest: "a b" });
    assert.deepEqual(parseList('["a b", "c"]'), ["a b", "c"]);
    assert.deepEqual(parseList("a   b\tc"), ["a", "b", "c"]);
    assert.deepEqual(parseFrom("--platform=linux/amd64 node:20 as build"), { image: "node:20", stage: "build" });
    assert.equal(parseFrom("a b"), null);
    assert.deepEqual(parseEnvDefinitions('A=1 B="two words"'), [["A", "1"], ["B", "two words"]]);
    assert.deepEqual(parseEnvDefinitions("LEGACY some value"), [["LEGACY", "some value"]]);
    const vars = new Map<string, string | undefined>([["DIR", "app"], ["EMPTY", undefined]]);
    assert.equal(expandVariables("$DIR/${DIR}/x", vars), "app/app/x");
    assert.equal(expandVariables("${MISSING:-dflt}", vars), "dflt");
    assert.equal(expandVariables("$EMPTY/x", vars), null);
  });
});
