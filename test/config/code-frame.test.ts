import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { renderCodeFrame } from "../../src/config/code-frame.js";
import type { Diagnostic } from "../../src/diagnostic.js";
import { fixture, problemsOf } from "./helpers.js";

const at = (line: number, column: number) => ({ file: "path/to/.meshdeploy.yaml", line, column });

describe("renderCodeFrame", () => {
  test("message, location, the line, a caret under the token, the hint", () => {
    const source = `${Array(11).fill("# pad").join("\n")}\n    tgas: web:1\n`;
    const d: Diagnostic = { message: "unknown key `tgas`; did you mean `tag`?", location: at(12, 5), hint: "allowed keys: tag", rule: "schema" };
    assert.deepEqual(renderCodeFrame(d, source), [
      "error: unknown key `tgas`; did you mean `tag`?",
      "  --> path/to/.meshdeploy.yaml:12:5",
      "   |",
      "12 |     tgas: web:1",
      "   |     ^^^^",
      "   = hint: allowed keys: tag",
    ]);
  });

  test("underlines plain values with colons, quoted strings and flow collections whole", () => {
    const frame = (text: string, column: number) => renderCodeFrame({ message: "m", location: at(1, column), rule: "r" }, text)[4];
    assert.equal(frame("tag: web:1 # comment", 6), "  |      ^^^^^");
    assert.equal(frame('owner: "a b" ', 8), "  |        ^^^^^");
    assert.equal(frame("env: {A: b, C: d}", 6), "  |      ^^^^^^^^^^^^");
    assert.equal(frame("ports: [{num: 70000}]", 15), "  |               ^^^^^");
  });

  test("keeps tabs in the caret's indent, and shows control characters as one placeholder each", () => {
    const lines = renderCodeFrame({ message: "m", location: at(1, 3), rule: "r" }, "\t\u0000\u0001x\n");
    assert.deepEqual(lines.slice(3), ["1 | \t\uFFFD\uFFFDx", "  | \t ^^"]);
  });

  test("a very long line shows a window around the column, marked with … on the cut sides", () => {
    const long = `env: {${"A".repeat(5_000)}: x, BAD KEY: y, ${"B".repeat(5_000)}: z}`;
    const column = long.indexOf("BAD KEY") + 1;
    const [, , , text, caret] = renderCodeFrame({ message: "m", location: at(1, column), rule: "r" }, long);
    assert.ok(text!.startsWith("1 | …") && text!.endsWith("…"), text);
    assert.ok(text!.length < 200, `${text!.length} characters`);
    assert.equal(text!.indexOf("BAD KEY"), caret!.indexOf("^"), "the caret is under the column");
    const [, , , start] = renderCodeFrame({ message: "m", location: at(1, 1), rule: "r" }, long);
    assert.ok(start!.startsWith("1 | env: {AAA") && start!.endsWith("…"));
  });

  test("without source text (or past its end): message, location and hint only", () => {
    const d: Diagnostic = { message: "config file not found: x", location: at(1, 1), hint: "use -f", rule: "file" };
    const expected = ["error: config file not found: x", " --> path/to/.meshdeploy.yaml:1:1", "  = hint: use -f"];
    assert.deepEqual(renderCodeFrame(d, null), expected);
    assert.deepEqual(renderCodeFrame({ ...d, location: at(1, 1) }, ""), [
      "error: config file not found: x",
      " --> path/to/.meshdeploy.yaml:1:1",
      "  |",
      "1 | ",
      "  | ^",
      "  = hint: use -f",
    ]);
    assert.deepEqual(renderCodeFrame({ ...d, location: at(5, 1) }, "one line\n"), [expected[0], " --> path/to/.meshdeploy.yaml:5:1", expected[2]]);
  });

  test("a real fixture: BOM stripped, CRLF-safe, exact frame", async () => {
    const [d] = await problemsOf("invalid/unknown-key.yaml");
    assert.ok(d);
    const source = `\uFEFF${readFileSync(fixture("invalid/unknown-key.yaml"), "utf8").replaceAll("\n", "\r\n")}`;
    assert.deepEqual(renderCodeFrame(d, source), [
      "error: unknown key `tgas`; did you mean `tag`?",
      ` --> ${fixture("invalid/unknown-key.yaml")}:5:5`,
      "  |",
      "5 |     tgas: [a]",
      "  |     ^^^^",
      "  = hint: allowed keys in `services[0]`: tag, name, build, room, env, secrets, identity, token, mounts, ports, domain, public, protect, runAs, template, enabled, validation, environments",
    ]);
  });
});
