// Structural validation of a parsed .meshdeploy.yaml against schemas/meshdeploy.schema.json (the
// single source of truth for structure). The built package carries the validator precompiled
// (scripts/compile-schema.cjs → dist/config/schema-validator.cjs, same options); without it (tsx,
// tests) it is compiled once, lazily, with ajv. Reads the schema file on first use (the only I/O
// here); must not interpret fields beyond the schema: semantic checks live in rules/.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AnySchemaObject, ValidateFunction } from "ajv/dist/2020.js";
import type { Diagnostic } from "../diagnostic.js";
import { schemaErrorDiagnostics } from "./schema-errors.js";
import type { YamlSource } from "./yaml-source.js";

/**
 * `<package root>/schemas/meshdeploy.schema.json`: src/config/schema.ts (tsx) and
 * dist/config/schema.js (compiled) are both two levels below the package root.
 */
export const SCHEMA_FILE = new URL("../../schemas/meshdeploy.schema.json", import.meta.url);

/** Editor annotations (VS Code / yaml-language-server) that our messages reuse. */
const ANNOTATION_KEYWORDS = ["patternErrorMessage", "errorMessage"];

let compiled: { schema: AnySchemaObject; validate: ValidateFunction } | null = null;

const require = createRequire(import.meta.url);

function compile(): { schema: AnySchemaObject; validate: ValidateFunction } {
  if (compiled === null) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as AnySchemaObject;
    compiled = { schema, validate: precompiled() ?? compileWithAjv(schema) };
  }
  return compiled;
}

/** The build's standalone validator, or null when running from src/ (no build step). */
function precompiled(): ValidateFunction | null {
  try {
    const loaded = require("./schema-validator.cjs") as ValidateFunction | { default: ValidateFunction };
    return typeof loaded === "function" ? loaded : loaded.default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return null;
    throw error;
  }
}

function compileWithAjv(schema: AnySchemaObject): ValidateFunction {
  const { Ajv2020 } = require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js");
  // verbose: errors carry the failing schema and data, which the messages need.
  // Keep these options identical to scripts/compile-schema.cjs.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
  return ajv.compile(schema);
}

/** The schema document (shared and never to be modified). */
export function configSchema(): AnySchemaObject {
  return compile().schema;
}

/** One diagnostic per structural problem, located in the YAML source; [] when valid. */
export function validateConfigSchema(source: YamlSource): Diagnostic[] {
  const { schema, validate } = compile();
  if (validate(source.value)) return [];
  return schemaErrorDiagnostics(validate.errors ?? [], source, schema);
}
