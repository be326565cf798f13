// Words for "got …" in messages, in YAML's vocabulary (mapping, list) rather than JSON's. Short
// values are quoted so the user can recognise them; long ones are cut. Pure.
import { escapeUnsafe } from "../printable.js";

/** `a mapping`, `a list`, `null`, `string "web"`, `number 8000`, `boolean true`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return `string ${quote(value)}`;
    case "number":
      return `number ${String(value)}`;
    case "boolean":
      return `boolean ${String(value)}`;
    case "object":
      return "a mapping";
    default:
      return typeof value;
  }
}

/** The JSON Schema type of a value ("integer" is reported as "number"). */
export function jsonType(value: unknown): "null" | "array" | "object" | "string" | "number" | "boolean" {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean") return type;
  return "object";
}

/** `a string`, `an integer`, `a mapping`, … for a JSON Schema type name. */
export function describeType(type: string): string {
  switch (type) {
    case "string":
      return "a string";
    case "integer":
      return "an integer";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean (true or false)";
    case "object":
      return "a mapping";
    case "array":
      return "a list";
    case "null":
      return "null";
    default:
      return type;
  }
}

/** JSON-quoted, cut at 60 characters, with invisible and control characters escaped (printable.ts). */
export function quote(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return escapeUnsafe(JSON.stringify(cut));
}

/** "a, b or c" */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}
