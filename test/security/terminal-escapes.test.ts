// No raw terminal control bytes in any output (audit M9): a room's annotation values and a config's
// keys carrying ESC sequences, BEL, C1 controls, bidi overrides or zero-width characters are printed
// escaped (`\u001b`), by every command and renderer, errors and hints included. The line boundary
// (cli/run.ts → printable.ts) keeps only meshdeploy's own colour sequences.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { escapeUnsafe, terminalSafe } from "../../src/printable.js";
import { colour } from "../../src/output/style.js";
import { runInProcess } from "../helpers/capture-io.js";
import { PID, serviceBody, servicesPath, startTestRoom, TOKEN, type TestRoom } from "../helpers/local-room.js";
import { suiteTempDirs } from "../helpers/temp-dirs.js";

/** Anything a terminal would act on, or that hides or reorders text. */
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = "other\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202egnp.exe\u200b";

describe("printable", () => {
  it("escapes controls, bidi and zero-width characters as \\uXXXX; keeps newlines and tabs at the line boundary", () => {
    assert.equal(escapeUnsafe("a\u001b[2Jb\u0007\u202e\u200b\n"), "a\\u001b[2Jb\\u0007\\u202e\\u200b\\u000a");
    assert.equal(terminalSafe("a\tb\nc\u001b[2J\u009b", false), "a\tb\nc\\u001b[2J\\u009b");
    assert.doesNotMatch(terminalSafe(HOSTILE, true), RAW);
  });

  it("keeps meshdeploy's own colours only when colour is on, never an attacker's other sequences", () => {
    const styled = `${colour.green("✓")} ${colour.bold("x")} ${colour.red("y")} ${colour.dim("z")} ${colour.yellow("w")}`;
    assert.equal(terminalSafe(styled, true), styled);
    assert.doesNotMatch(terminalSafe(styled, false), RAW);
    assert.equal(terminalSafe("\u001b[8mhidden\u001b[0m", true), "\\u001b[8mhidden\\u001b[0m");
  });

  it("a JSON document stays valid and means the same after escaping", () => {
    const doc = JSON.stringify({ owner: HOSTILE, nested: ["\u2028", "\u{1F600}"] }, null, 2);
    const safe = terminalSafe(doc, false);
    assert.doesNotMatch(safe, RAW);
    assert.deepEqual(JSON.parse(safe), JSON.parse(doc));
  });
});

describe("no raw control bytes in command output", { timeout: 60_000 }, () => {
  let room: TestRoom;
  let cwd: string;
  const tempDir = suiteTempDirs("esc");
  before(async () => {
    room = await startTestRoom({ platform: "0.39.9" });
    cwd = await tempDir();
  });
  after(() => room.dispose());

  const env = (): Record<string, string> => ({ MESHAGENT_API_URL: room.room.url, MESHAGENT_API_KEY: TOKEN, MESHAGENT_PROJECT_ID: PID });

  it("a config key with an ESC sequence: the error, its code frame and its hint are escaped", async () => {
    const file = path.join(cwd, "key.yaml");
    await writeFile(file, 'version: 1\nroom: dev\nservices:\n  - tag: web:1\n    "\\e[2Jenvv\\u202e": {A: b}\n');
    for (const argv of [["validate", "-f", file], ["plan", "-f", file], ["plan", "-f", file, "--output", "json"]]) {
      const result = await runInProcess(argv, { cwd, env: env() });
      assert.equal(result.code, 1, result.stderr);
      assert.doesNotMatch(result.stderr + result.stdout, RAW, argv.join(" "));
      assert.match(result.stderr, /unknown key `\\u001b\[2Jenvv\\u202e`/);
    }
  });

  it("a live service's hostile owner annotation: plan's problem and hint are escaped, in every output format", async () => {
    const created = await room.api("POST", servicesPath(), serviceBody("local-web", {
      metadata: { name: "local-web", annotations: { "meshdeploy.managed-by": "meshdeploy", "meshdeploy.owner": HOSTILE, "x\u001b]0;t\u0007": "v\u001b[2J" } },
    }));
    assert.equal(created.status < 300, true, created.text);
    const file = path.join(cwd, "owner.yaml");
    await writeFile(file, "version: 1\nroom: dev\nowner: mine\nservices:\n  - tag: web:1\n");
    for (const output of ["human", "json", "markdown"]) {
      const result = await runInProcess(["plan", "-f", file, "--output", output], { cwd, env: env() });
      assert.equal(result.code, 1, result.stderr);
      const all = result.stdout + result.stderr;
      // (Markdown also escapes the brackets.)
      assert.match(all, /other\\u001b\\?\[2J\\u001b\\?\]0;pwned\\u0007/, `${output}: ${all}`);
      assert.doesNotMatch(all, RAW, output);
    }
  });
});
