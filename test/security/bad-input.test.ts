// Bad input is rejected cleanly: every file of the corpus in test/fixtures/invalid (and a
// generated multi-megabyte one) gives exit 1 and an error located at the expected line:column,
// from validate, plan (human and JSON), apply, and plan/apply --local; prints nothing on stdout (with
// --output json only the located diagnostics document);
// sends no request to the room (the local room's request log stays empty), starts no local room and
// writes nothing (no .meshdeploy/ anywhere); each command answers in under 10 s. Files whose mistake
// is on disk (build contexts) are prepared in a fresh directory first (test/helpers/invalid-corpus.ts).
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { startLocalRoom, type LocalRoom } from "../../src/local/server.js";
import { runInProcess } from "../helpers/capture-io.js";
import { CORPUS, EXPECTED, prepare } from "../helpers/invalid-corpus.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

/** Each command on each corpus file must answer within this (the hostile corpus's bound). */
const PER_COMMAND_MS = 10_000;
const KEY = "bad-input-room-token-0123456789";

/** About 1 MB (a few hundred times a real config): 8,500 services, the mistake on the last one. */
function hugeConfig(): string {
  const lines = ["version: 1", "room: dev", "services:"];
  for (let i = 0; i < 8_500; i += 1) lines.push(`  - tag: acme/svc-${i}:1`, `    env: {APP_ENV: dev, INDEX: "${i}", PADDING: "${"x".repeat(40)}"}`);
  lines.push("  - tag: acme/last:1", "    envv: {A: b}");
  return lines.join("\n") + "\n";
}

describe("bad-input corpus", { timeout: 300_000 }, () => {
  let room: LocalRoom;
  let roomDir: string;
  let cwd: string;
  let hugeFile: string;
  before(async () => {
    roomDir = await tempDir();
    cwd = await tempDir();
    hugeFile = path.join(cwd, "huge.yaml");
    await writeFile(hugeFile, hugeConfig());
    room = await startLocalRoom({ dataDir: roomDir, token: KEY, rooms: ["dev"] });
  });
  after(async () => {
    await room.close();
  });
  // Registered after the hook above: the dirs are removed once the room has closed.
  const tempDir = suiteTempDirs("bad");

  it("has at least 40 configs, each with an expectation, covering every kind of mistake", () => {
    const files = readdirSync(CORPUS).filter((name) => name.endsWith(".yaml")).sort();
    assert.ok(files.length >= 40, `${files.length} files`);
    assert.deepEqual(files, Object.keys(EXPECTED).sort());
    const kinds = new Set(Object.values(EXPECTED).map((e) => e.kind));
    for (const kind of ["YAML syntax", "alias/anchor bomb", "tabs", "BOM", "empty", "binary garbage", "wrong type", "unknown key", "duplicates", "bad YAML tag", "digest", "bad mount", "bad port", "domain without a port", "undefined variable", "build context", "deep nesting", "value limits"]) {
      assert.ok(kinds.has(kind), `no case of kind ${kind}`);
    }
  });

  const ALL_COMMANDS = (file: string): string[][] => [
    ["validate", "-f", file],
    ["plan", "-f", file],
    ["plan", "-f", file, "--output", "json", "--detailed-exitcode"],
    ["apply", "-f", file, "--yes"],
    ["plan", "--local", "-f", file],
    ["apply", "--local", "--yes", "-f", file],
  ];

  /** Only the embedded local room's registry and project key are known offline. */
  const LOCAL_COMMANDS = (file: string): string[][] => [
    ["validate", "--local", "-f", file],
    ["plan", "--local", "-f", file],
    ["apply", "--local", "--yes", "-f", file],
  ];

  /** Each command on `file` (absolute): exit 1, the location and text on stderr, nothing on stdout (but the JSON document with --output json). */
  async function rejectsEverywhere(file: string, at: string, message: string, commands = ALL_COMMANDS(file), dir = cwd): Promise<void> {
    const env = { MESHAGENT_API_URL: room.url, MESHAGENT_API_KEY: KEY, MESHAGENT_PROJECT_ID: "local" };
    for (const argv of commands) {
      const started = Date.now();
      const result = await runInProcess(argv, { cwd: dir, env });
      const what = `${argv.join(" ")}:\n${result.stderr}`;
      assert.ok(Date.now() - started < PER_COMMAND_MS, `took ${Date.now() - started} ms: ${what}`);
      assert.equal(result.code, 1, what);
      if (argv.includes("json")) {
        // --output json: stdout carries the diagnostics document (docs/json-output.md), located the same.
        const doc = JSON.parse(result.stdout) as { valid: boolean; diagnostics: { location: { line: number; column: number } }[] };
        assert.equal(doc.valid, false, what);
        assert.ok(doc.diagnostics.some((d) => `${d.location.line}:${d.location.column}` === at), `JSON not located at ${at}: ${result.stdout}`);
      } else assert.equal(result.stdout, "", what);
      assert.ok(result.stderr.includes(`${file}:${at}`), `not located at ${at}: ${what}`);
      assert.ok(result.stderr.includes(message), `message not found: ${what}`);
      // validate never changes anything, so it does not say so (audit item 18).
      assert.match(result.stderr, argv[0] === "validate" ? /error(s)? in the configuration\.$/m : /error(s)? in the configuration; nothing was changed\./, what);
    }
  }

  for (const [name, { at, message, setup, commands }] of Object.entries(EXPECTED)) {
    it(`${name}: a located error (${at}), exit 1, no request`, async () => {
      const dir = setup === undefined ? cwd : await tempDir();
      const file = await prepare(name, dir);
      const before = await readdir(dir);
      await rejectsEverywhere(file, at, message, commands === "local" ? LOCAL_COMMANDS(file) : ALL_COMMANDS(file), dir);
      assert.deepEqual(await readdir(dir), before, "nothing may be written beside the config");
    });
  }

  it("build-context errors come before any request: against an unreachable server plan still gives the located error", async () => {
    const dir = await tempDir();
    const file = await prepare("build-context-is-file.yaml", dir);
    const env = { MESHAGENT_API_URL: "http://127.0.0.1:9", MESHAGENT_API_KEY: KEY, MESHAGENT_PROJECT_ID: "local" };
    const result = await runInProcess(["plan", "-f", file], { cwd: dir, env });
    assert.equal(result.code, 1, result.stderr);
    assert.ok(result.stderr.includes(`${file}:6:12`), result.stderr);
    assert.doesNotMatch(result.stderr, /could not reach/);
  });

  it("a huge file (about 1 MB, 17,000 lines) is read and rejected at its last line", async () => {
    // Two commands only: reading a megabyte of YAML takes about a second each time.
    const commands = [["apply", "-f", hugeFile, "--yes"], ["plan", "--local", "-f", hugeFile]];
    await rejectsEverywhere(hugeFile, "17005:5", "unknown key `envv`; did you mean `env`?", commands);
  });

  it("sent no request to the room and started no local room", () => {
    assert.deepEqual(room.requestLog, []);
    assert.equal(existsSync(path.join(cwd, ".meshdeploy")), false);
  });
});
