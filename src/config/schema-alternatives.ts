// Collapses ajv's `oneOf`/`anyOf` noise into one problem per value: when exactly one alternative
// accepts the value's type, only that alternative's errors are kept (`token: fulll` → an enum
// error); otherwise a single "expected" error lists the alternatives (`token: 5`). Pure: works on
// ajv's error objects (verbose mode) and returns new ones.
//
// Assumes what schemas/meshdeploy.schema.json does: a `oneOf` has no sibling keywords that can fail
// (so the errors just before it, at or below its data path, are its branches' errors) and its
// alternatives have disjoint `type`s.
import type { AnySchemaObject, ErrorObject } from "ajv/dist/2020.js";
import { describeType, jsonType, orList } from "./describe-value.js";

/** keyword of the synthetic error; params.expected holds the alternatives in words. */
export const EXPECTED_ALTERNATIVES = "expectedAlternatives";

export function collapseAlternatives(errors: readonly ErrorObject[], root: AnySchemaObject): ErrorObject[] {
  let list = [...errors];
  for (;;) {
    const at = findLastIndex(list, (e) => e.keyword === "oneOf" || e.keyword === "anyOf");
    if (at < 0) return list;
    const error = list[at] as ErrorObject;
    let start = at;
    while (start > 0 && isAtOrBelow((list[start - 1] as ErrorObject).instancePath, error.instancePath)) start--;
    list = [...list.slice(0, start), ...resolve(error, list.slice(start, at), root), ...list.slice(at + 1)];
  }
}

function resolve(error: ErrorObject, branchErrors: ErrorObject[], root: AnySchemaObject): ErrorObject[] {
  const branches = (Array.isArray(error.schema) ? error.schema : []) as AnySchemaObject[];
  const resolved = branches.map((branch) => deref(branch, root));
  const matching = resolved.flatMap((branch, i) => (acceptsType(branch, error.data) ? [i] : []));
  if (matching.length === 1) {
    const others = branches.flatMap((branch, i) => (i === matching[0] ? [] : [branchPrefixes(error.schemaPath, branch, i)]));
    const kept = branchErrors.filter((e) => !others.some((prefixes) => prefixes.some((p) => e.schemaPath.startsWith(p))));
    if (kept.length > 0) return kept;
  }
  const expected = orList(resolved.map(describeAlternative));
  return [{ ...error, keyword: EXPECTED_ALTERNATIVES, params: { expected }, message: `must be ${expected}` }];
}

/** Where a branch's errors point: under the oneOf itself, or under the definition it $refs. */
function branchPrefixes(oneOfPath: string, branch: AnySchemaObject, index: number): string[] {
  const prefixes = [`${oneOfPath}/${index}/`];
  if (typeof branch.$ref === "string") prefixes.push(`${branch.$ref}/`);
  return prefixes;
}

function acceptsType(schema: AnySchemaObject, data: unknown): boolean {
  const declared = schema.type as string | string[] | undefined;
  if (declared === undefined) return true;
  const types = Array.isArray(declared) ? declared : [declared];
  const actual = jsonType(data);
  return types.includes(actual) || (actual === "number" && types.includes("integer") && Number.isInteger(data));
}

function describeAlternative(schema: AnySchemaObject): string {
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map((v) => `\`${String(v)}\``).join(", ")}`;
  if (typeof schema.title === "string") return schema.title;
  const declared = schema.type as string | string[] | undefined;
  if (declared === undefined) return "another value";
  return orList((Array.isArray(declared) ? declared : [declared]).map(describeType));
}

/** Local `#/…` references only: the schema has no others. */
export function deref(schema: AnySchemaObject, root: AnySchemaObject): AnySchemaObject {
  if (typeof schema.$ref !== "string" || !schema.$ref.startsWith("#/")) return schema;
  let node: unknown = root;
  for (const part of schema.$ref.slice(2).split("/")) {
    node = (node as Record<string, unknown> | undefined)?.[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return (node as AnySchemaObject | undefined) ?? schema;
}

function isAtOrBelow(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

function findLastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i] as T)) return i;
  return -1;
}
