// Structural validation of a parsed .meshdeploy.yaml against schemas/meshdeploy.schema.json (the
// single source of truth for structure). The validator is compiled once, lazily, and never changes
// afterwards. Reads the schema file on first use (the only I/O here); must not interpret fields
// beyond the schema: semantic checks live in rules/.
import { readFileSync } from "node:fs";
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from "ajv/dist/2020.js";
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

function compile(): { schema: AnySchemaObject; validate: ValidateFunction } {
  if (compiled === null) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, "utf8")) as AnySchemaObject;
    // verbose: errors carry the failing schema and data, which the messages need.
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword(keyword);
    compiled = { schema, validate: ajv.compile(schema) };
  }
  return compiled;
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
