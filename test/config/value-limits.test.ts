// The value limits of rules/values.ts and the schema (docs/semantics.md "Limits"): each past-limit
// value is a located error; values at the limits, and ordinary unusual ones, are accepted.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../../src/config/load.js";
import { MAX_ENV_VARIABLES } from "../../src/config/rules/values.js";

const FILE = "/p/corpus/.meshdeploy.yaml";
const service = (body: string): string => `version: 1\nroom: dev\nservices:\n  - tag: web:1\n${body}`;

function problems(text: string): string[] {
  const result = parseConfig(text, FILE, { env: {} });
  return result.ok ? [] : result.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.rule}`);
}

describe("value limits", () => {
  it("accepts what real configs hold, right up to the limits", () => {
    const atLimit = Array.from({ length: MAX_ENV_VARIABLES }, (_, i) => `      V${i}: x\n`).join("");
    assert.deepEqual(problems(service(`    env:\n${atLimit}`)), []);
    assert.deepEqual(problems(service(`    identity: web-bot.v2\n    env:\n      my.var-1: "naïve ☃ \\t tab"\n      ${"N".repeat(256)}: x\n`)), []);
    assert.deepEqual(problems(service(`    env:\n      BIG: ${"x".repeat(131_000)}\n`)), []);
  });

  it("a whole environment past 1 MiB is refused at env:, each entry below the per-variable limit", () => {
    const vars = Array.from({ length: 9 }, (_, i) => `      V${i}: ${"x".repeat(120_000)}\n`).join("");
    assert.deepEqual(problems(service(`    env:\n${vars}`)), ["6:7 env-size"]);
  });

  it("one NAME=value past 128 KiB in bytes (multi-byte characters) is refused at the value", () => {
    assert.deepEqual(problems(service(`    env:\n      A: ${"€".repeat(50_000)}\n`)), ["6:10 env-size"]);
  });

  it("an identity with a . or .. segment, or a NUL in a secret id, is refused", () => {
    assert.deepEqual(problems(service("    identity: a/./b\n")), ["5:15 identity-path"]);
    assert.deepEqual(problems(service('    identity: "..\\\\x"\n')), ["5:15 identity-path"]);
    assert.deepEqual(problems(service('    token: agentDefault\n    secrets: {DB: "sec\\0x"}\n')), ["6:19 nul"]);
  });

  it("a tag past the OCI limits is refused", () => {
    assert.deepEqual(problems(`version: 1\nroom: dev\nservices:\n  - tag: acme/web:${"t".repeat(129)}\n`).length, 1);
  });
});
