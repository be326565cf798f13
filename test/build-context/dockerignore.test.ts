// The .dockerignore matcher (src/build-context/dockerignore.ts): hand-written cases for each rule, then
// every vector in test/fixtures/build/dockerignore-vectors.json (outputs of pathspec 1.1.1's
// "gitwildmatch" under CPython 3.13 with the CLI's directory rule, vendored). Pure: no I/O
// beyond reading the vectors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { BuildContextError } from "../../src/build-context/build-error.js";
import { createIgnoreMatcher } from "../../src/build-context/dockerignore.js";

function ignored(text: string, relPath: string, isDir = false): boolean {
  return createIgnoreMatcher(text)(relPath, isDir);
}

describe("createIgnoreMatcher", () => {
  test("no lines ignore nothing", () => {
    assert.equal(ignored("", "a"), false);
    assert.equal(ignored("\n\n", "a", true), false);
  });

  test("a name without a slash matches at any depth (gitignore, not Docker)", () => {
    assert.equal(ignored("*.log", "a.log"), true);
    assert.equal(ignored("*.log", "deep/er/a.log"), true);
    assert.equal(ignored("node_modules", "x/node_modules", true), true);
    assert.equal(ignored("node_modules", "node_modules/pkg/index.js"), true);
    assert.equal(ignored("*.log", "a.log.txt"), false);
  });

  test("negation: the last matching line wins", () => {
    const text = "*.log\n!keep.log\n";
    assert.equal(ignored(text, "a.log"), true);
    assert.equal(ignored(text, "keep.log"), false);
    assert.equal(ignored(text, "sub/keep.log"), false);
    assert.equal(ignored("!keep.log\n*.log\n", "keep.log"), true);
    assert.equal(ignored("*.log\n!important.log\n*.log\n", "important.log"), true);
  });

  test("a leading slash anchors to the context root", () => {
    assert.equal(ignored("/dist", "dist", true), true);
    assert.equal(ignored("/dist", "app/dist", true), false);
    assert.equal(ignored("/z/only", "z/only"), true);
    assert.equal(ignored("/z/only", "x/z/only"), false);
  });

  test("a slash inside anchors too", () => {
    assert.equal(ignored("docs/*.md", "docs/a.md"), true);
    assert.equal(ignored("docs/*.md", "x/docs/a.md"), false);
    assert.equal(ignored("docs/*.md", "docs/x/a.md"), false);
  });

  test("a trailing slash matches directories (and what is under them) only", () => {
    assert.equal(ignored("build/", "build", true), true);
    assert.equal(ignored("build/", "build", false), false);
    assert.equal(ignored("build/", "x/build", true), true);
    assert.equal(ignored("build/", "build/out.bin"), true);
  });

  test("** matches any number of directories", () => {
    assert.equal(ignored("**/tmp", "tmp", true), true);
    assert.equal(ignored("**/tmp", "a/b/tmp", true), true);
    assert.equal(ignored("a/**/b", "a/b"), true);
    assert.equal(ignored("a/**/b", "a/x/y/b"), true);
    assert.equal(ignored("a/**/b", "x/a/b"), false);
    assert.equal(ignored("secret/**", "secret/k"), true);
    assert.equal(ignored("secret/**", "secret", true), true); // tested as "secret/" too
    assert.equal(ignored("secret/**", "secret", false), false);
    assert.equal(ignored("**", "anything/at/all"), true);
  });

  test("* and ? never cross a slash", () => {
    assert.equal(ignored("x?z", "xyz"), true);
    assert.equal(ignored("x?z", "x/z"), false);
    assert.equal(ignored("a*", "ab/c"), true); // the directory ab matches, so its contents do
    assert.equal(ignored("/a*c", "ab/c"), false);
  });

  test("bracket expressions, with ! and ^ negation and a leading ]", () => {
    assert.equal(ignored("[abc].txt", "b.txt"), true);
    assert.equal(ignored("[abc].txt", "d.txt"), false);
    assert.equal(ignored("[!a-c]x", "dx"), true);
    assert.equal(ignored("[!a-c]x", "bx"), false);
    assert.equal(ignored("[^0-9]y", "5y"), false);
    assert.equal(ignored("[]]x", "]x"), true);
    assert.equal(ignored("[a-]z", "-z"), true);
  });

  test("an unterminated bracket drops the line (pathspec 1.1 follows Git)", () => {
    assert.equal(ignored("[z\nok\n", "[z"), false);
    assert.equal(ignored("[z\nok\n", "ok"), true);
  });

  test("comments, blank lines and escapes", () => {
    assert.equal(ignored("# comment\n", "# comment"), false);
    assert.equal(ignored("\\#hash\n", "#hash"), true);
    assert.equal(ignored("\\!bang\n", "!bang"), true);
    assert.equal(ignored("\n   \n\t\n", "x"), false);
    assert.equal(ignored("trail   \n", "trail"), true); // trailing whitespace is dropped…
    assert.equal(ignored("esc\\ \n", "esc "), true); // …unless the last space is escaped
    assert.equal(ignored("esc\\ \n", "esc"), false);
  });

  test("every Python line break splits lines (\\r\\n, \\r, \\v, \\f, \\u2028 …)", () => {
    assert.equal(ignored("a\r\nb\rc\vd\fe\u2028f", "b"), true);
    assert.equal(ignored("a\r\nb\rc\vd\fe\u2028f", "f"), true);
  });

  test("matching is case-sensitive and code-point based", () => {
    assert.equal(ignored("*.TXT", "a.txt"), false);
    assert.equal(ignored("?moji", "\u{1f600}moji"), true);
  });

  test("a line pathspec refuses throws a BuildContextError naming the line", () => {
    for (const [text, line] of [["ok\n!\n", 2], ["x\\", 1], ["a\n[z-a]", 2]] as const) {
      assert.throws(
        () => createIgnoreMatcher(text),
        (error: unknown) => error instanceof BuildContextError && error.reason === "dockerignore" && error.message.startsWith(`.dockerignore line ${line}:`),
      );
    }
  });
});

interface VectorCase {
  lines: string[];
  checks?: [string, boolean, boolean][];
  error?: string | null;
}

describe("pathspec 1.1.1 vectors", () => {
  const vectors = JSON.parse(readFileSync(new URL("../fixtures/build/dockerignore-vectors.json", import.meta.url), "utf8")) as { cases: VectorCase[] };
  for (const c of vectors.cases) {
    test(JSON.stringify(c.lines), () => {
      const text = c.lines.join("\n");
      if (c.error !== undefined) {
        if (c.error === null) assert.doesNotThrow(() => createIgnoreMatcher(text));
        else assert.throws(() => createIgnoreMatcher(text), BuildContextError);
        return;
      }
      const matcher = createIgnoreMatcher(text);
      const wrong = (c.checks ?? []).filter(([p, isDir, expected]) => matcher(p, isDir) !== expected);
      assert.deepEqual(wrong, []);
    });
  }
});
