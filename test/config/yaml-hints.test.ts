// Hints for YAML syntax errors, tags, aliases, keys and the document's shape: the exact text, and
// the position it names where the fix depends on one (an unclosed `{`, `[` or quote; a misplaced
// list item's column).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LineCounter, parseDocument, YAMLParseError, type ErrorCode } from "yaml";
import { parseConfig } from "../../src/config/load.js";
import { removeTagHint, yamlErrorHint } from "../../src/config/yaml-hints.js";
import { parseYamlSource } from "../../src/config/yaml-source.js";

/** "line:col hint" for every diagnostic of `text` (which must not parse). */
function hints(text: string): string[] {
  const result = parseYamlSource(text, "f.yaml");
  assert.ok(!result.ok, "expected diagnostics");
  return result.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.hint ?? "(none)"}`);
}

const MINIMAL = "a minimal config is `version: 1`, `room: dev` and `services: [{tag: web:1}]`, each on its own line";

describe("YAML syntax errors", () => {
  test("collections nested too deeply for the parser are a located error with a hint, before parsing (yaml-depth.ts)", () => {
    const [hint] = hints(`version: 1\nroom: dev\nservices: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    assert.match(hint ?? "", /^3:74 a \.meshdeploy\.yaml nests about 8 levels/);
  });

  test("an unclosed flow map or list names the line that opened it", () => {
    assert.deepEqual(hints("version: 1\nservices:\n  - tag: web:1\n    env: {APP_ENV: dev\n"), [
      "5:1 close the `{` opened at line 4, column 10 with `}` (the lines inside it must be indented more than its key), or write the mapping in block style, one `key: value` per line",
    ]);
    assert.deepEqual(hints("version: 1\nservices: [{tag: web:1}\n"), [
      "3:1 close the `[` opened at line 2, column 11 with `]` (the lines inside it must be indented more than its key), or write the list in block style, one `- item` per line",
    ]);
    assert.deepEqual(hints("{version: 1\n"), ["2:1 close the `{` opened at line 1, column 1 with `}`, or write the mapping in block style, one `key: value` per line"]);
  });

  test("an unclosed quote names where it was opened", () => {
    assert.deepEqual(hints('version: 1\nservices:\n  - tag: "web:1\n'), [
      '4:1 close the `"` opened at line 3, column 10: a quoted value may span lines, so the lines after it were read as part of it',
    ]);
    assert.deepEqual(hints("a: 'b\n"), ["2:1 close the `'` opened at line 1, column 4: a quoted value may span lines, so the lines after it were read as part of it"]);
  });

  test("a key between a list item's `- ` and its keys: the column that continues the item", () => {
    assert.deepEqual(hints("services:\n  - tag: web:1\n\n    # a comment\n   env: {A: b}\n"), [
      "5:4 indent this line to column 5 to continue the list item at line 2, or start a new item with `- `",
    ]);
  });

  test("a colon inside a plain value: the quoted form; a more-indented next line: align it", () => {
    assert.deepEqual(hints("env:\n  A: b: c  # note\n"), [
      '2:6 quote the value, e.g. `A: "b: c"`, if its `: ` is part of the text; a nested mapping goes on its own, more indented lines',
    ]);
    assert.deepEqual(hints('env:\n  A: "x": c\n'), [
      "2:6 quote the value, e.g. `A: '\"x\": c'`, if its `: ` is part of the text; a nested mapping goes on its own, more indented lines",
    ]);
    assert.deepEqual(hints("a:\n  b: 1\n    c: 2\n"), [
      "2:6 the line below is indented more than this line's key, which makes it part of this value: indent it like this key",
      "2:6 fix the error at 2:6 first; this one most likely follows from it",
    ]);
  });

  test("one dedented key is one error, at the key, not the indentation; later follow-ons are left out and counted (audit defect 15)", () => {
    const text = ["services:", "  - tag: web:1", "    build: ./app", "  env:", "      A: b", "    ports:", "      - {num: 8000}", "    mounts:", "      emptyDirs: [/tmp]", "", "  - tag: acme/worker:2", ""].join("\n");
    const found = hints(text);
    assert.equal(found.length, 1, found.join("\n"));
    assert.match(found[0]!, /^4:3 align this key with the other keys of its mapping .*; \d+ later syntax errors? most likely follows? from this one and (is|are) not shown; fix it and run again$/);
  });

  test("errors that follow from an earlier one on the same line point back at it", () => {
    assert.deepEqual(hints("services:\n  tag: web:1\n  - tag: api:1\n"), [
      "3:1 a mapping and a `- ` list cannot share one indentation level: start every entry here with `- ` (e.g. `- tag: web:1`), or move the list under its own key",
      "3:3 fix the error at 3:1 first; this one most likely follows from it",
      "3:3 fix the error at 3:1 first; this one most likely follows from it",
    ]);
  });

  test("independent errors at one spot keep their own hints", () => {
    assert.deepEqual(hints("a: !!str,1\n"), [
      "1:9 put a space between the `&anchor` or `!tag` and the value",
      "1:9 a plain value cannot start with `,`: quote it",
    ]);
  });

  test("values that need quoting show the quoted value", () => {
    assert.deepEqual(hints("owner: @team\n"), ['1:8 a plain value cannot start with `@`: quote it, e.g. "@team"']);
    assert.deepEqual(hints("a: {b: `x`, c: 1}\n"), ['1:8 a plain value cannot start with a backtick: quote it, e.g. "`x`"']);
    assert.deepEqual(hints('a: "C:\\dir"\n'), [
      "1:7 in double quotes `\\` starts an escape such as `\\n`: write `\\\\d` for a literal `\\d`, or use single quotes, where `\\` is an ordinary character",
    ]);
  });

  test("a ${…} inside {…} is told to be quoted, before any other hint", () => {
    assert.deepEqual(hints("env: {A: ${X}}\n"), [
      '1:11 inside {…} or […] a value that uses ${…} must be quoted, e.g. {TAG: "${TAG}"}',
      "1:12 fix the error at 1:11 first; this one most likely follows from it",
      "1:14 fix the error at 1:11 first; this one most likely follows from it",
    ]);
  });

  test("a tab keeps its hint", () => {
    assert.deepEqual(hints("a:\n\tb: 1\n"), ["2:1 indent with spaces"]);
  });

  test("several documents", () => {
    assert.deepEqual(hints("version: 1\n---\nversion: 1\n"), [
      "2:1 keep one document per file: remove this `---` and what follows it, or move that part into its own config file",
    ]);
  });

  test("every yaml error code has a hint of its own, even for a message it does not know", () => {
    const codes: Record<ErrorCode, true> = {
      ALIAS_PROPS: true, BAD_ALIAS: true, BAD_COLLECTION_TYPE: true, BAD_DIRECTIVE: true, BAD_DQ_ESCAPE: true, BAD_INDENT: true,
      BAD_PROP_ORDER: true, BAD_SCALAR_START: true, BLOCK_AS_IMPLICIT_KEY: true, BLOCK_IN_FLOW: true, DUPLICATE_KEY: true,
      IMPOSSIBLE: true, KEY_OVER_1024_CHARS: true, MISSING_CHAR: true, MULTILINE_IMPLICIT_KEY: true, MULTIPLE_ANCHORS: true,
      MULTIPLE_DOCS: true, MULTIPLE_TAGS: true, NON_STRING_KEY: true, RESOURCE_EXHAUSTION: true, TAB_AS_INDENT: true,
      TAG_RESOLVE_FAILED: true, UNEXPECTED_TOKEN: true,
    };
    const lineCounter = new LineCounter();
    const at = { doc: parseDocument("a: 1\n", { lineCounter }), lineCounter, file: "f.yaml" };
    for (const code of Object.keys(codes) as ErrorCode[]) {
      const hint = yamlErrorHint(new YAMLParseError([0, 1], code, "a message from a future yaml version"), at, "a: 1\n");
      assert.ok(hint.length > 10, `${code}: ${hint}`);
    }
  });
});

describe("tags", () => {
  test("remove the tag, and what to write instead", () => {
    assert.deepEqual(hints("a: !!binary aGVsbG8=\n"), ["1:13 meshdeploy reads plain YAML: remove the `!!binary` tag; the value is then a plain string"]);
    assert.deepEqual(hints("a: !!set {x, y}\n"), ["1:10 meshdeploy reads plain YAML: remove the `!!set` tag and write a mapping ({a: x}) or a list ([a, b]), whichever the key takes"]);
    assert.deepEqual(hints("a: !secret x\n"), [
      "1:4 meshdeploy reads plain YAML: remove the `!secret` tag (environment values are written ${NAME}; room secrets go under the service's `secrets:`)",
    ]);
    assert.deepEqual(hints("a: !!python/object:os.system x\n"), [
      "1:4 meshdeploy reads plain YAML: remove the `!!python/object:os.system` tag",
      "1:30 meshdeploy reads plain YAML: remove the `!!python/object:os.system` tag",
    ]);
    assert.equal(removeTagHint("!foo"), "meshdeploy reads plain YAML: remove the `!foo` tag");
  });
});

describe("aliases and keys", () => {
  test("an unknown alias: define the anchor, move it up, or the near miss", () => {
    assert.deepEqual(hints("a: *missing\n"), ["1:4 put `&missing` on a value above this line (e.g. `base: &missing {A: b}`), or write the value out here"]);
    assert.deepEqual(hints("a: *base\nb: &base 1\n"), ["1:4 `&base` is only defined after this alias: move the anchored value above its first use"]);
    assert.deepEqual(hints("a: &bsae 1\nb: *base\n"), ["2:4 did you mean `*bsae`? (anchor `&bsae`)"]);
  });

  test("a recursive alias", () => {
    assert.deepEqual(hints("services: &s\n  - env: {A: *s}\n"), [
      "2:14 `*s` stands for the value anchored `&s`, which contains it: write this value out, or anchor a part of the file that does not include the alias",
    ]);
  });

  test("keys that are not strings", () => {
    assert.deepEqual(hints("8000: x\n"), ['1:1 quote it: "8000":']);
    assert.deepEqual(hints("~: x\n"), ['1:1 quote it: "~":']);
    assert.deepEqual(hints(": x\n"), ["1:1 write a key before the `:`, e.g. `name: value`"]);
    assert.deepEqual(hints("[a, b]: x\n"), ["1:1 write the key as a plain string (quote it if it looks like a list or mapping)"]);
  });
});

describe("the document's shape", () => {
  test("an empty document shows a minimal config, and that config is valid", () => {
    for (const text of ["", "   \n\n", "# only\n# comments\n"]) assert.deepEqual(hints(text), [`1:1 the file has no configuration yet: ${MINIMAL}`]);
    assert.ok(parseConfig("version: 1\nroom: dev\nservices: [{tag: web:1}]\n", "/work/shop/.meshdeploy.yaml").ok);
  });

  test("a list, null or a lone value at the top level", () => {
    assert.deepEqual(hints("- version: 1\n- room: dev\n"), [
      "1:1 remove the `- ` in front of each top-level key: the top level is one mapping (`version: 1`, `room: …`, `services: …`), not a list",
    ]);
    assert.deepEqual(hints("- tag: web:1\n- tag: api:1\n"), [
      "1:1 a list of services goes under `services:`: indent it below a `services:` line, with `version: 1` and `room: …` above",
    ]);
    assert.deepEqual(hints("- web:1\n"), [`1:1 the top level is a mapping, not a list: ${MINIMAL}`]);
    assert.deepEqual(hints("~\n"), [`1:1 write the configuration in place of \`~\`: ${MINIMAL}`]);
    assert.deepEqual(hints("version 1\n"), [`1:1 a line without \`: \` (colon and space) is read as one value: write \`key: value\` lines; ${MINIMAL}`]);
  });
});
