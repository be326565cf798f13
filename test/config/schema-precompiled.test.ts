// The build's precompiled schema validator (scripts/compile-schema.cjs → dist/config/
// schema-validator.cjs) answers exactly as ajv compiling the schema at run time: same verdict and
// same errors for every config of the invalid corpus and the examples. Needs `npm run build`.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { parse } from "yaml";
import { SCHEMA_FILE } from "../../src/config/schema.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function configs(): string[] {
  const files: string[] = [];
  for (const dir of ["test/fixtures/invalid", "test/fixtures/config"]) {
    for (const name of readdirSync(path.join(ROOT, dir))) if (/\.ya?ml$/.test(name)) files.push(path.join(ROOT, dir, name));
  }
  for (const example of readdirSync(path.join(ROOT, "examples"))) files.push(path.join(ROOT, "examples", example, ".meshdeploy.yaml"));
  return files;
}

/** Errors without the (identical, but not comparable by reference) schema and data objects. */
function comparable(validate: ValidateFunction): string {
  return JSON.stringify((validate.errors ?? []).map(({ schema, parentSchema, data, ...rest }) => ({ ...rest, schema: JSON.stringify(schema), parentSchema: JSON.stringify(parentSchema), data: typeof data })));
}

describe("precompiled schema validator", () => {
  it("gives the runtime-compiled validator's verdict and errors on every corpus config", () => {
    const precompiled = createRequire(import.meta.url)(path.join(ROOT, "dist/config/schema-validator.cjs")) as ValidateFunction;
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    for (const keyword of ["patternErrorMessage", "errorMessage"]) ajv.addKeyword(keyword);
    const compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
    let compared = 0;
    for (const file of configs()) {
      let value: unknown;
      try {
        value = parse(readFileSync(file, "utf8"), { maxAliasCount: 100, logLevel: "silent" });
      } catch {
        continue; // a YAML-level rejection never reaches the schema
      }
      assert.equal(precompiled(value), compiled(value), file);
      assert.equal(comparable(precompiled), comparable(compiled), file);
      compared += 1;
    }
    assert.ok(compared >= 40, `compared ${compared} configs`);
  });
});
