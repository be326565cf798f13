// Interpolation over a parsed document: every string value (never a key) goes through
// interpolate.ts, before the schema check, so the schema and the rules judge resolved values.
// A problem is located at the reference itself inside the scalar when its text can be found
// there (plain, quoted and block scalars alike), else at the scalar. An unquoted scalar's result
// is read the way YAML would have read that text written in its place (`${PORT}` → 8000, a
// number); quoted scalars stay strings. Pure: returns a new YamlSource and never changes its input.
import { Schema } from "yaml";
import type { Diagnostic, SourceLocation } from "../diagnostic.js";
import { interpolateString, type InterpolationProblem, type InterpolationVars } from "./interpolate.js";
import type { JsonPath, YamlSource } from "./yaml-source.js";

export type InterpolateResult = { ok: true; source: YamlSource } | { ok: false; diagnostics: Diagnostic[] };

interface Walk {
  source: YamlSource;
  vars: InterpolationVars;
  diagnostics: Map<string, Diagnostic>;
  /** Resolved text of each interpolated scalar, by JSON path: scalarText() answers with it. */
  texts: Map<string, string>;
}

export function interpolateSource(source: YamlSource, vars: InterpolationVars): InterpolateResult {
  // Without a `$` in any value nothing can change or fail (interpolate.ts): the walk below, which
  // copies the document and builds a path for every node, is skipped.
  if (!mentionsDollar(source.value)) return { ok: true, source };
  const walk: Walk = { source, vars, diagnostics: new Map(), texts: new Map() };
  const value = visit(source.value, [], walk) as Record<string, unknown>;
  if (walk.diagnostics.size > 0) return { ok: false, diagnostics: [...walk.diagnostics.values()] };
  if (walk.texts.size === 0) return { ok: true, source };
  const texts = walk.texts;
  return {
    ok: true,
    source: { ...source, value, scalarText: (path) => texts.get(JSON.stringify(path)) ?? source.scalarText(path) },
  };
}

function mentionsDollar(value: unknown): boolean {
  if (typeof value === "string") return value.includes("$");
  if (Array.isArray(value)) return value.some(mentionsDollar);
  if (value !== null && typeof value === "object") {
    for (const key in value) if (Object.hasOwn(value, key) && mentionsDollar((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

function visit(value: unknown, path: JsonPath, walk: Walk): unknown {
  if (typeof value === "string") return interpolateScalar(value, path, walk);
  if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, i], walk));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, [...path, key], walk)]));
  }
  return value;
}

function interpolateScalar(text: string, path: JsonPath, walk: Walk): unknown {
  const result = interpolateString(text, walk.vars);
  if (!result.ok) {
    for (const problem of result.problems) {
      const location = locateProblem(text, problem, path, walk.source);
      const diagnostic: Diagnostic = { message: problem.message, location, rule: "interpolation", ...(problem.hint === undefined ? {} : { hint: problem.hint }) };
      // An anchored value reached through several aliases is one problem in the file.
      walk.diagnostics.set(`${location.line}:${location.column}:${problem.message}`, diagnostic);
    }
    return text;
  }
  if (!result.changed) return text;
  walk.texts.set(JSON.stringify(path), result.value);
  return walk.source.scalarToken(path)?.plain === true ? readPlain(result.value) : result.value;
}

/** The reference's own position when its text appears in the scalar as written, else the scalar's. */
function locateProblem(value: string, problem: InterpolationProblem, path: JsonPath, source: YamlSource): SourceLocation {
  const token = source.scalarToken(path);
  if (token !== null) {
    const nth = occurrencesBefore(value, problem.text, problem.index);
    const at = nthIndexOf(token.raw, problem.text, nth);
    if (at >= 0) return source.locateOffset(token.offset + at);
  }
  return source.locate(path);
}

function occurrencesBefore(text: string, needle: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0 && at < end; at = text.indexOf(needle, at + needle.length)) count++;
  return count;
}

function nthIndexOf(text: string, needle: string, nth: number): number {
  let at = text.indexOf(needle);
  for (let i = 0; i < nth && at >= 0; i++) at = text.indexOf(needle, at + needle.length);
  return at;
}

/** YAML 1.2's core schema, only ever read (its tags' tests and resolvers). */
const CORE = new Schema({ schema: "core" });

interface TestedTag {
  default?: unknown;
  test?: RegExp;
  resolve(text: string, onError: (message: string) => void, options: object): unknown;
}

/**
 * YAML's reading of an unquoted scalar (core schema: null, booleans, numbers, else a string).
 * An empty result stays "" — `${X:-}` means an empty string, not a missing value.
 */
export function readPlain(text: string): unknown {
  if (text === "") return "";
  const tag = (CORE.tags as unknown as TestedTag[]).find((t) => t.default === true && t.test?.test(text) === true);
  if (tag === undefined) return text;
  const resolved = tag.resolve(text, () => {}, {});
  return resolved !== null && typeof resolved === "object" && "value" in resolved ? (resolved as { value: unknown }).value : resolved;
}
