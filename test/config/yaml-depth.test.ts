// Nesting depth is measured in one linear pass and refused past MAX_YAML_DEPTH, located at the
// token that went too deep; brackets inside strings, comments and block scalars do not count.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { findTooDeep, MAX_YAML_DEPTH } from "../../src/config/yaml-depth.js";
import { parseYamlSource } from "../../src/config/yaml-source.js";
import { interpolateString, MAX_INTERPOLATION_DEPTH } from "../../src/config/interpolate.js";

const flow = (n: number): string => `a: ${"[".repeat(n)}${"]".repeat(n)}\n`;

describe("yaml depth", () => {
  it("accepts nesting up to the limit, block and flow mixed", () => {
    assert.equal(findTooDeep(flow(MAX_YAML_DEPTH - 1)), null);
    const block = Array.from({ length: 30 }, (_, i) => `${" ".repeat(2 * i)}k${i}:\n`).join("") + `${" ".repeat(60)}v: ${"[".repeat(30)}${"]".repeat(30)}\n`;
    assert.equal(findTooDeep(block), null);
    assert.equal(parseYamlSource(flow(MAX_YAML_DEPTH - 1), "f.yaml").ok, true);
  });

  it("refuses one level more, at the bracket that went too deep", () => {
    assert.deepEqual(findTooDeep(flow(MAX_YAML_DEPTH)), { line: 1, column: 4 + MAX_YAML_DEPTH - 1 });
    assert.deepEqual(findTooDeep(`- ${"- ".repeat(MAX_YAML_DEPTH)}x\n`), { line: 1, column: 2 * MAX_YAML_DEPTH + 1 });
  });

  it("brackets in quoted strings, comments and block scalars are text", () => {
    const text = `a: "${"[".repeat(500)}"\nb: '${"{".repeat(500)}'\n# ${"[".repeat(500)}\nc: |\n  ${"[".repeat(500)}\nd: x${"[".repeat(500)}\n`;
    assert.equal(findTooDeep(text), null);
  });

  it("is linear: 2 million nested brackets (4 MB, the file cap) are refused in under 3 s", () => {
    const started = performance.now();
    const result = parseYamlSource(flow(2_000_000), "f.yaml");
    assert.equal(result.ok, false);
    assert.ok(performance.now() - started < 3_000, `${performance.now() - started} ms`);
  });
});

describe("interpolation depth", () => {
  const nested = (n: number): string => `${"${U:-".repeat(n)}x${"}".repeat(n)}`;
  it("resolves defaults nested up to the limit", () => {
    assert.deepEqual(interpolateString(nested(MAX_INTERPOLATION_DEPTH), { env: {}, builtins: {} }), { ok: true, value: "x", changed: true });
  });
  it("refuses deeper nesting as a problem at the reference (no stack overflow), even 200,000 deep", () => {
    const result = interpolateString(nested(200_000), { env: {}, builtins: {} });
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.problems[0]?.index, MAX_INTERPOLATION_DEPTH * 5);
  });
});
