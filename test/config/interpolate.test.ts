// interpolateString: the reference syntax, strictness, defaults, required variables, escapes and
// built-ins, with the exact index of every problem.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { interpolateString, type InterpolationVars } from "../../src/config/interpolate.js";

const vars: InterpolationVars = {
  env: { TAG: "1.4.2", EMPTY: "", HOST: "db", GIT_BRANCH: "from-env" },
  builtins: { GIT_SHA: { value: "0123456789abcdef" }, GIT_BRANCH: { unavailable: "HEAD is detached" }, GIT_SHORT_SHA: { unavailable: "no repo" } },
};

function value(input: string, v: InterpolationVars = vars): string {
  const result = interpolateString(input, v);
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

function problems(input: string, v: InterpolationVars = vars) {
  const result = interpolateString(input, v);
  assert.ok(!result.ok, `expected problems, got ${JSON.stringify(result)}`);
  return result.problems.map((p) => ({ index: p.index, text: p.text, message: p.message }));
}

describe("interpolateString", () => {
  test("replaces ${VAR} anywhere in the string and reports whether anything changed", () => {
    assert.equal(value("web:${TAG}"), "web:1.4.2");
    assert.equal(value("${HOST}:${TAG}/${HOST}"), "db:1.4.2/db");
    assert.deepEqual(interpolateString("plain text", vars), { ok: true, value: "plain text", changed: false });
    assert.deepEqual(interpolateString("$${TAG}", vars), { ok: true, value: "${TAG}", changed: true });
  });

  test("$$ is a literal $, and a $ not followed by { is kept as written", () => {
    assert.equal(value("price: $$5 and $HOME and $"), "price: $5 and $HOME and $");
    assert.equal(value("$$$${TAG}"), "$${TAG}");
    assert.equal(value("$$${TAG}"), "$1.4.2");
  });

  test("an empty value is a value for ${VAR}; :- replaces unset and empty", () => {
    assert.equal(value("[${EMPTY}]"), "[]");
    assert.equal(value("${EMPTY:-fallback}"), "fallback");
    assert.equal(value("${UNSET:-fallback}"), "fallback");
    assert.equal(value("${TAG:-fallback}"), "1.4.2");
    assert.equal(value("${UNSET:-}"), "");
  });

  test("defaults may hold references, resolved only when needed", () => {
    assert.equal(value("${UNSET:-${HOST:-x}:${TAG}}"), "db:1.4.2");
    assert.equal(value("${TAG:-${ALSO_UNSET}}"), "1.4.2");
    assert.equal(value("${UNSET:-a $$ b}"), "a $ b");
  });

  test("an undefined variable is a problem at its exact index", () => {
    assert.deepEqual(problems("web:${NOPE}"), [{ index: 4, text: "${NOPE}", message: "undefined variable `NOPE` in `${NOPE}`" }]);
    assert.deepEqual(
      problems("${A}-${TAG}-${B}").map((p) => [p.index, p.text]),
      [
        [0, "${A}"],
        [12, "${B}"],
      ],
    );
    assert.deepEqual(problems("${UNSET:-${ALSO}}").map((p) => p.text), ["${ALSO}"]);
  });

  test(":? fails with its message when the variable is unset or empty", () => {
    assert.deepEqual(problems("x ${DB:?set DB to the database secret id}"), [
      { index: 2, text: "${DB:?set DB to the database secret id}", message: "required variable `DB` is not set: set DB to the database secret id" },
    ]);
    assert.equal(problems("${EMPTY:?}")[0]?.message, "required variable `EMPTY` is empty");
    assert.equal(value("${TAG:?never shown}"), "1.4.2");
  });

  test("syntax errors name what was expected", () => {
    assert.deepEqual(problems("a ${TAG"), [{ index: 2, text: "${TAG", message: "unterminated `${TAG`: Expected a closing `}`" }]);
    assert.match(problems("${}")[0]!.message, /^Expected a variable name .* got nothing$/);
    assert.match(problems("${1X}")[0]!.message, /got "1X"/);
    assert.deepEqual(problems("${TAG-1}"), [{ index: 0, text: "${TAG-1}", message: 'Expected `}`, `:-default` or `:?message` after `${TAG`, got "-1"' }]);
    assert.equal(problems("ok ${A:-${B}")[0]?.text, "${A:-${B}");
  });

  test("built-ins win when git knows them; the environment fills in when it does not", () => {
    assert.equal(value("${GIT_SHA}"), "0123456789abcdef");
    assert.equal(value("${GIT_BRANCH}"), "from-env");
    const result = interpolateString("${GIT_SHORT_SHA}", vars);
    assert.ok(!result.ok);
    assert.equal(result.problems[0]?.hint, "no repo; set GIT_SHORT_SHA in the environment, or give a default: ${GIT_SHORT_SHA:-value}");
  });

  test("only own properties count as variables", () => {
    assert.equal(problems("${constructor}")[0]?.message, "undefined variable `constructor` in `${constructor}`");
    assert.equal(problems("${toString}").length, 1);
  });
});
