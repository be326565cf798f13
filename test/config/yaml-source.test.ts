import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseYamlSource, type YamlSource } from "../../src/config/yaml-source.js";
import { seen } from "./helpers.js";

function source(text: string): YamlSource {
  const result = parseYamlSource(text, "f.yaml");
  assert.ok(result.ok, result.ok ? "" : JSON.stringify(result.diagnostics));
  return result.source;
}

function problems(text: string) {
  const result = parseYamlSource(text, "f.yaml");
  assert.ok(!result.ok, "expected diagnostics");
  return seen(result.diagnostics);
}

const TEXT = `version: 1
services:
  - tag: web:1
    env:
      APP_ENV: dev
      PORT: 8000
      EMPTY:
  - tag: api:1
    env: {A: 0x1F, B: True}
`;

describe("locate", () => {
  const src = source(TEXT);
  const at = (path: (string | number)[], part?: "key" | "value") => {
    const { line, column } = src.locate(path, part);
    return `${line}:${column}`;
  };
  test("points at values by default and at keys on request", () => {
    assert.equal(at(["services", 0, "env", "APP_ENV"]), "5:16");
    assert.equal(at(["services", 0, "env", "APP_ENV"], "key"), "5:7");
    assert.equal(at(["services", 1, "env", "B"]), "9:23");
    assert.equal(at(["services", 1, "env", "B"], "key"), "9:20");
  });
  test("a list item is located at its first key; a missing value at its key", () => {
    assert.equal(at(["services", 1]), "8:5");
    assert.equal(at(["services", 0, "env", "EMPTY"]), "7:7");
  });
  test("accepts list indexes as strings (JSON pointers) and falls back to the deepest existing node", () => {
    assert.equal(at(["services", "1", "tag"]), "8:10");
    assert.equal(at(["services", 0, "nope", "deeper"]), "3:5");
    assert.equal(at(["services", 9]), "3:3");
    assert.equal(at([]), "1:1");
  });
  test("scalarText keeps the YAML spelling of numbers and booleans", () => {
    assert.equal(src.scalarText(["services", 0, "env", "PORT"]), "8000");
    assert.equal(src.scalarText(["services", 1, "env", "A"]), "0x1F");
    assert.equal(src.scalarText(["services", 1, "env", "B"]), "True");
    assert.equal(src.scalarText(["services", 1, "env"]), null);
  });
  test("follows aliases to their anchor", () => {
    const aliased = source("base: &b {A: 1}\nservices:\n  - env: *b\n");
    assert.deepEqual(aliased.value, { base: { A: 1 }, services: [{ env: { A: 1 } }] });
    const { line, column } = aliased.locate(["services", 0, "env", "A"]);
    assert.deepEqual([line, column], [1, 14]);
  });
});

describe("parseYamlSource refuses", () => {
  test("duplicate keys, at the second one, naming the first's line", () => {
    assert.deepEqual(problems("a: 1\nb:\n  c: 1\n  c: 2\n"), [
      { at: "4:3", rule: "yaml-duplicate-key", message: "duplicate key `c`: first defined at line 3" },
    ]);
  });
  test("non-string keys", () => {
    assert.deepEqual(problems("env:\n  8000: x\n  true: y\n  ~: z\n  ? [a]\n  : w\n"), [
      { at: "2:3", rule: "yaml-key", message: "Expected a string key, got number 8000" },
      { at: "3:3", rule: "yaml-key", message: "Expected a string key, got boolean true" },
      { at: "4:3", rule: "yaml-key", message: "Expected a string key, got null" },
      { at: "5:5", rule: "yaml-key", message: "Expected a string key, got a list" },
    ]);
  });
  test("syntax errors and warnings", () => {
    assert.deepEqual(problems("a: [1, 2\nb: 3\n"), [
      { at: "2:1", rule: "yaml", message: "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]" },
    ]);
    assert.deepEqual(problems("a: !custom x\n"), [{ at: "1:4", rule: "yaml", message: "invalid YAML: Unresolved tag: !custom" }]);
    assert.deepEqual(problems("a: 1\n---\nb: 2\n"), [
      { at: "2:1", rule: "yaml", message: "Expected a single YAML document, got several (separated by `---`)" },
    ]);
  });
  test("unknown, recursive and exploding aliases", () => {
    assert.deepEqual(problems("a: *nope\n"), [
      { at: "1:4", rule: "yaml-alias", message: "unknown alias `*nope`: Expected an anchor `&nope` defined before it" },
    ]);
    assert.deepEqual(problems("a: &x [1, *x]\n"), [
      { at: "1:11", rule: "yaml-alias", message: "alias `*x` is inside its own anchor: recursive YAML aliases are not allowed" },
    ]);
    const ten = (item: string) => `[${Array(10).fill(item).join(", ")}]`;
    const bomb = `a: &a ${ten("x")}\nb: &b ${ten("*a")}\nc: ${ten("*b")}\n`;
    assert.deepEqual(problems(bomb), [
      { at: "3:5", rule: "yaml-alias", message: "alias `*b` expands to more than 100 nodes: refusing a possible YAML alias bomb" },
    ]);
  });
  test("as many aliases of one anchor as yaml allows, and not one more", () => {
    const uses = (n: number) => `a: &a x\nl: [${Array(n).fill("*a").join(", ")}]\n`;
    assert.equal(source(uses(99)).value["l"] instanceof Array, true);
    assert.deepEqual(problems(uses(100)), [
      { at: "2:401", rule: "yaml-alias", message: "alias `*a` is alias number 100 of its anchor (at most 99 are allowed): refusing a possible YAML alias bomb" },
    ]);
  });
  test("nested aliases that only yaml's own count catches still give a located error", () => {
    const list = (n: number, item: string) => `[${Array(n).fill(item).join(", ")}]`;
    const text = `a: &a ${list(10, "x")}\nb: &b ${list(5, "*a")}\nc: ${list(21, "*b")}\n`;
    assert.deepEqual(problems(text), [
      { at: "2:8", rule: "yaml-alias", message: "YAML aliases expand too much (yaml's limit: 100): refusing a possible YAML alias bomb" },
    ]);
  });
  test("non-plain YAML types", () => {
    assert.deepEqual(problems("a: !!binary aGVsbG8=\n"), [
      { at: "1:13", rule: "yaml-tag", message: "unsupported YAML tag `!!binary`: Expected plain strings, numbers, booleans, lists and mappings" },
    ]);
  });
  test("empty, non-mapping and binary documents", () => {
    assert.deepEqual(problems(""), [{ at: "1:1", rule: "yaml-root", message: "Expected a mapping with `version: 1` and `services:`, got an empty document" }]);
    assert.deepEqual(problems("# only a comment\n"), [
      { at: "1:1", rule: "yaml-root", message: "Expected a mapping with `version: 1` and `services:`, got an empty document" },
    ]);
    assert.deepEqual(problems("\n  hello\n"), [
      { at: "2:3", rule: "yaml-root", message: 'Expected a mapping with `version: 1` and `services:` at the top level, got string "hello"' },
    ]);
    assert.deepEqual(problems("a: 1\nb: \u0007\n"), [{ at: "2:4", rule: "yaml-binary", message: "Expected a YAML text file, got binary data (control character U+0007)" }]);
  });
});

test("a UTF-8 BOM is tolerated and does not shift columns", () => {
  const src = source("\uFEFFversion: 1\n");
  assert.deepEqual(src.value, { version: 1 });
  const { line, column } = src.locate(["version"], "key");
  assert.deepEqual([line, column], [1, 1]);
});

test("CRLF line endings locate like LF", () => {
  const src = source("a: 1\r\nb:\r\n  c: x\r\n");
  const { line, column } = src.locate(["b", "c"]);
  assert.deepEqual([line, column], [3, 6]);
});
