// The Python behaviours restated in src/build (python-text.ts, shlex.ts), checked against values
// CPython 3.13 printed (test/fixtures/build/python-vectors.json, vendored). Pure.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { pyDigitsValue, pyFloatRepr, pyNormpath, pyRound, pySplitlines, pyStatFloatSeconds } from "../../src/build-context/python-text.js";
import { ShlexError, shlexQuote, shlexSplit } from "../../src/build-context/shlex.js";

interface Vectors {
  shlexSplit: [string, string[] | { error: string }][];
  shlexQuote: [string, string][];
  normpath: [string, string][];
  floatRepr: [number, string][];
  round: [number, number][];
  splitlines: [string, string[]][];
  statFloat: [string, string][];
}

const V = JSON.parse(readFileSync(new URL("../fixtures/build/python-vectors.json", import.meta.url), "utf8")) as Vectors;

describe("CPython 3.13 vectors", () => {
  test("shlex.split", () => {
    for (const [input, expected] of V.shlexSplit) {
      if (Array.isArray(expected)) assert.deepEqual(shlexSplit(input), expected, input);
      else assert.throws(() => shlexSplit(input), (e: unknown) => e instanceof ShlexError && e.message === expected.error, input);
    }
  });

  test("shlex.quote", () => {
    for (const [input, expected] of V.shlexQuote) assert.equal(shlexQuote(input), expected, input);
  });

  test("posixpath.normpath", () => {
    for (const [input, expected] of V.normpath) assert.equal(pyNormpath(input), expected, input);
  });

  test("repr(float)", () => {
    for (const [input, expected] of V.floatRepr) assert.equal(pyFloatRepr(input), expected, String(input));
  });

  test("round(float): ties to even", () => {
    for (const [input, expected] of V.round) assert.equal(pyRound(input), expected, String(input));
  });

  test("str.splitlines()", () => {
    for (const [input, expected] of V.splitlines) assert.deepEqual(pySplitlines(input), expected, JSON.stringify(input));
  });

  test("os.stat().st_mtime from st_mtime_ns", () => {
    for (const [ns, expected] of V.statFloat) assert.equal(pyFloatRepr(pyStatFloatSeconds(BigInt(ns))), expected, ns);
  });
});

describe("int() of isdigit() text", () => {
  test("ASCII and other Unicode decimal digits; non-decimal digits are refused", () => {
    assert.equal(pyDigitsValue("8080"), 8080);
    assert.equal(pyDigitsValue("\uff18\uff10"), 80); // fullwidth
    assert.equal(pyDigitsValue("\u0663\u0660"), 30); // Arabic-Indic
    assert.equal(pyDigitsValue("\u{1d7da}\u{1d7ce}"), 20); // mathematical double-struck 2, bold 0
    assert.equal(pyDigitsValue("\u00b2"), null); // superscript two: isdigit() but int() raises
  });
});
