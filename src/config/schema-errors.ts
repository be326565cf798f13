// ajv errors → located diagnostics worded "Expected X, got Y": one per real problem, unknown keys
// with a did-you-mean, enums listing their values, the schema's own `description` as the hint (or
// the nearest described schema above it, so that every problem has one). Pure: never validates
// anything itself and never reads the schema file.
import type { AnySchemaObject, ErrorObject } from "ajv/dist/2020.js";
import type { Diagnostic } from "../diagnostic.js";
import { describeType, describeValue, orList, quote } from "./describe-value.js";
import { didYouMean, keyAlias } from "./did-you-mean.js";
import { escapeUnsafe, hasUnsafe } from "../printable.js";
import { collapseAlternatives, deref, EXPECTED_ALTERNATIVES } from "./schema-alternatives.js";
import type { PathPart, YamlSource } from "./yaml-source.js";

interface Problem {
  path: string[];
  part: PathPart;
  message: string;
  hint?: string;
}

export function schemaErrorDiagnostics(errors: readonly ErrorObject[], source: YamlSource, root: AnySchemaObject): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of collapseAlternatives(errors, root)) {
    // The errors inside `propertyNames` carry the offending key; this summary adds nothing.
    if (error.keyword === "propertyNames") continue;
    const problem = describe(error, source.value);
    const location = source.locate(problem.path, problem.part);
    const key = `${location.line}:${location.column}:${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const hint = problem.hint ?? describedAt(pointerSegments(error.instancePath), root);
    diagnostics.push(hint === undefined ? { message: problem.message, location, rule: "schema" } : { message: problem.message, location, hint, rule: "schema" });
  }
  return diagnostics;
}

function describe(error: ErrorObject, document: unknown): Problem {
  const path = pointerSegments(error.instancePath);
  const label = labelOf(path, document);
  const schema = (error.parentSchema ?? {}) as AnySchemaObject;
  const params = error.params as Record<string, unknown>;
  const got = describeValue(error.data);
  const where = label === "" ? "at the top level" : `for \`${label}\``;
  const hint = typeof schema.description === "string" ? schema.description : undefined;
  const value = (message: string, withHint = true): Problem => ({ path, part: "value", message, ...(withHint && hint ? { hint } : {}) });

  if (typeof schema.errorMessage === "string") {
    return { path, part: "key", message: schema.errorMessage, ...(hint ? { hint } : {}) };
  }
  if (typeof error.propertyName === "string" && error.keyword === "maxLength") {
    const message = `Expected a name of at most ${String(params.limit)} characters as a key ${label === "" ? "at the top level" : `in \`${label}\``}, got ${error.propertyName.length} characters (${quote(error.propertyName)})`;
    return { path: [...path, error.propertyName], part: "key", message, hint: "a name this long is a mistake (a value pasted as the key?); see the limits in docs/semantics.md" };
  }
  if (typeof error.propertyName === "string") {
    const what = typeof schema.patternErrorMessage === "string" ? schema.patternErrorMessage : `a key matching ${String(params.pattern)}`;
    const message = `Expected ${what} as a key ${label === "" ? "at the top level" : `in \`${label}\``}, got ${quote(error.propertyName)}`;
    return { path: [...path, error.propertyName], part: "key", message, hint: nameKeyHint(error.propertyName) };
  }
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const allowed = allowedKeys(schema);
      const alias = keyAlias(key, allowed);
      const suggestion = alias ?? didYouMean(key, allowed);
      const message = `unknown key \`${key}\`${suggestion === null ? "" : `; did you mean \`${suggestion}\`?`}${alias === null ? "" : ` (Compose's \`environment:\` is \`${alias}:\` here)`}`;
      const scope = label === "" ? "at the top level" : `in \`${label}\``;
      return { path: [...path, key], part: "key", message, hint: `allowed keys ${scope}: ${allowed.join(", ")}` };
    }
    case "required": {
      const key = String(params.missingProperty);
      const property = (schema.properties as Record<string, AnySchemaObject> | undefined)?.[key];
      const message = `missing required key \`${key}\`${label === "" ? "" : ` in \`${label}\``}`;
      return { path, part: "value", message, ...(typeof property?.description === "string" ? { hint: property.description } : {}) };
    }
    case "type": {
      const types = Array.isArray(params.type) ? (params.type as string[]) : [String(params.type)];
      return value(`Expected ${orList(types.map(describeType))} ${where}, got ${got}`);
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === "string" ? didYouMean(error.data, allowed) : null;
      const list = allowed.map((v) => `\`${v}\``).join(", ");
      return value(`Expected one of ${list} ${where}, got ${got}${suggestion === null ? "" : `; did you mean \`${suggestion}\`?`}`);
    }
    case "const":
      return value(`Expected \`${label}: ${JSON.stringify(params.allowedValue)}\`, got ${got}`);
    case EXPECTED_ALTERNATIVES:
      return value(`Expected ${String(params.expected)} ${where}, got ${got}`);
    case "pattern": {
      const what = typeof schema.patternErrorMessage === "string" ? schema.patternErrorMessage : `a string matching ${String(params.pattern)}`;
      return value(`Expected ${what} ${where}, got ${got}`);
    }
    case "maxLength":
      return value(`Expected at most ${String(params.limit)} characters ${where}, got ${typeof error.data === "string" ? error.data.length : "more"}`);
    case "maxProperties":
      return value(`Expected at most ${String(params.limit)} entries ${where}, got ${Object.keys(error.data as object).length}`);
    case "minLength":
      return value(params.limit === 1 ? `Expected a non-empty string ${where}, got ${got}` : `Expected at least ${String(params.limit)} characters ${where}, got ${got}`);
    case "minimum":
    case "maximum": {
      const kind = describeType(String(schema.type ?? "number"));
      if (typeof schema.minimum === "number" && typeof schema.maximum === "number") {
        return value(`Expected ${kind} from ${schema.minimum} to ${schema.maximum} ${where}, got ${got}`);
      }
      return value(`Expected ${kind} ${String(params.comparison)} ${String(params.limit)} ${where}, got ${got}`);
    }
    case "not":
    case "false schema":
      return { path, part: "key", message: `\`${label}\` is not allowed here`, hint: `remove \`${label}\`` };
    default:
      return value(`\`${label === "" ? "(top level)" : label}\` ${error.message ?? "is invalid"}`);
  }
}

/** Keys that are names (`env:`, `secrets:`): the CLI's NAME=VALUE form is the usual mistake. */
function nameKeyHint(key: string): string {
  const invisible = [...key].find((ch) => hasUnsafe(ch));
  if (invisible !== undefined) {
    const visible = [...key].filter((ch) => !hasUnsafe(ch)).join("");
    return `the name holds the invisible or control character ${escapeUnsafe(invisible)}, so it would print like \`${visible}\`: retype it`;
  }
  const eq = key.indexOf("=");
  if (eq > 0) {
    const value = key.slice(eq + 1);
    return `the key is only the name and the value goes after the colon: for ${key} write \`${key.slice(0, eq)}: ${value === "" ? '""' : value}\``;
  }
  if (key.trim() !== "" && /\s/.test(key)) return `remove the whitespace from the name, e.g. \`${key.trim().replace(/\s+/g, "_")}\``;
  return "write the name before the colon, e.g. `NAME: value`";
}

/**
 * The description of the innermost schema (below the root) on the way to the value at `path`,
 * through properties, items and additionalProperties (ajv's schemaPath is relative to the last
 * `$ref`, so it cannot be walked from the root).
 */
function describedAt(path: readonly string[], root: AnySchemaObject): string | undefined {
  let node: AnySchemaObject = root;
  let found: string | undefined;
  for (const segment of path) {
    const properties = node.properties as Record<string, AnySchemaObject> | undefined;
    const next: unknown = properties?.[segment] ?? (Array.isArray(node.items) ? undefined : node.items) ?? node.additionalProperties;
    if (typeof next !== "object" || next === null) break;
    node = deref(next as AnySchemaObject, root);
    if (typeof node.description === "string") found = node.description;
  }
  return found;
}

/** The keys a mapping may have, in schema order; keys declared only to be refused are left out. */
function allowedKeys(schema: AnySchemaObject): string[] {
  const properties = (schema.properties ?? {}) as Record<string, AnySchemaObject | boolean>;
  return Object.entries(properties)
    .filter(([, property]) => property !== false && !(typeof property === "object" && "not" in property))
    .map(([key]) => key);
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** `services[2].env.APP_ENV`: list indexes in brackets, mapping keys dotted. */
function labelOf(path: readonly string[], document: unknown): string {
  let label = "";
  let node = document;
  for (const segment of path) {
    if (Array.isArray(node)) {
      label += `[${segment}]`;
      node = node[Number(segment)];
    } else {
      label += label === "" ? segment : `.${segment}`;
      node = (node as Record<string, unknown> | null | undefined)?.[segment];
    }
  }
  return label;
}
