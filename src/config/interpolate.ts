// Interpolation inside one string: `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$` for a
// literal `$`. Any other `$` is kept as written. Strict: an undefined variable is a problem, never
// an empty string. Defaults and messages may themselves contain references, which are resolved
// only when needed (as the shell does). Pure: the variables are passed in; this module never reads
// the environment or git. Locating a problem in the file is interpolate-source.ts's job; here a
// problem carries its index in the string.

import type { BuiltinValue } from "../model/builtin-value.js";

export interface InterpolationVars {
  env: Readonly<Record<string, string | undefined>>;
  builtins: Readonly<Record<string, BuiltinValue>>;
}

export interface InterpolationProblem {
  message: string;
  hint?: string;
  /** Index in the input where the offending reference starts. */
  index: number;
  /** The reference exactly as written, e.g. `${TAG:?set TAG}`. */
  text: string;
}

export type InterpolationResult = { ok: true; value: string; changed: boolean } | { ok: false; problems: InterpolationProblem[] };

type Reference = { kind: "ref"; name: string; op: "" | ":-" | ":?"; word: Part[]; start: number; end: number };
type Part = { kind: "text"; text: string } | Reference;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const ESCAPE_HINT = "write `$$` for a literal `$`";

/** How deep `${A:-${B:-…}}` may nest: real configs use two or three levels; parsing is recursive. */
export const MAX_INTERPOLATION_DEPTH = 16;

export function interpolateString(input: string, vars: InterpolationVars): InterpolationResult {
  if (!input.includes("$")) return { ok: true, value: input, changed: false };
  const tooDeep = firstTooDeep(input);
  if (tooDeep !== -1) {
    const text = input.slice(tooDeep, tooDeep + 40);
    return {
      ok: false,
      problems: [{ message: `\`\${…}\` references nest more than ${MAX_INTERPOLATION_DEPTH} deep here`, index: tooDeep, text, hint: `a default may hold a reference (\${A:-\${B}}), but at most ${MAX_INTERPOLATION_DEPTH} levels; ${ESCAPE_HINT}` }],
    };
  }
  const problems: InterpolationProblem[] = [];
  const { parts } = parseParts(input, 0, false, problems);
  if (problems.length > 0) return { ok: false, problems };
  const value = evaluate(parts, input, vars, problems);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value, changed: value !== input };
}

/** Index of the first `${` nested deeper than MAX_INTERPOLATION_DEPTH (one linear pass, as matchingBrace counts); -1 when none. */
function firstTooDeep(input: string): number {
  let depth = 0;
  for (let i = 0; i < input.length; i++) {
    if (input[i] === "$" && input[i + 1] === "$") i++;
    else if (input[i] === "$" && input[i + 1] === "{") {
      depth++;
      if (depth > MAX_INTERPOLATION_DEPTH) return i;
      i++;
    } else if (input[i] === "}" && depth > 0) depth--;
  }
  return -1;
}

/** Reads text and references up to the end, or (nested) up to the `}` closing a reference. */
function parseParts(input: string, from: number, nested: boolean, problems: InterpolationProblem[]): { parts: Part[]; end: number } {
  const parts: Part[] = [];
  let text = "";
  let i = from;
  const flush = (): void => {
    if (text !== "") parts.push({ kind: "text", text });
    text = "";
  };
  while (i < input.length) {
    const c = input[i] as string;
    if (nested && c === "}") break;
    if (c !== "$") {
      text += c;
      i++;
    } else if (input[i + 1] === "$") {
      text += "$";
      i += 2;
    } else if (input[i + 1] === "{") {
      flush();
      const ref = parseReference(input, i, problems);
      if (ref === null) return { parts, end: input.length };
      parts.push(ref);
      i = ref.end;
    } else {
      text += c;
      i++;
    }
  }
  flush();
  return { parts, end: i };
}

/** `${` at `start` → a reference ending after its `}`; null (with a problem) when it cannot be read. */
function parseReference(input: string, start: number, problems: InterpolationProblem[]): Reference | null {
  NAME.lastIndex = start + 2;
  const name = NAME.exec(input)?.[0];
  const close = matchingBrace(input, start + 2);
  const written = input.slice(start, close === -1 ? input.length : close + 1);
  const fail = (message: string, hint?: string): null => {
    problems.push({ message, index: start, text: written, ...(hint === undefined ? {} : { hint }) });
    return null;
  };
  if (close === -1) return fail(`unterminated \`${written}\`: Expected a closing \`}\``, ESCAPE_HINT);
  if (name === undefined) {
    const got = input.slice(start + 2, close);
    return fail(`Expected a variable name (letters, digits and _, not starting with a digit) in \`${written}\`, got ${got === "" ? "nothing" : `"${got}"`}`, ESCAPE_HINT);
  }
  const after = start + 2 + name.length;
  if (input[after] === "}") return { kind: "ref", name, op: "", word: [], start, end: after + 1 };
  const op = input.slice(after, after + 2);
  if (op !== ":-" && op !== ":?") {
    return fail(`Expected \`}\`, \`:-default\` or \`:?message\` after \`\${${name}\`, got "${input.slice(after, close)}"`, "e.g. ${NAME}, ${NAME:-fallback} or ${NAME:?why it is needed}");
  }
  const word = parseParts(input, after + 2, true, problems);
  if (problems.length > 0) return null;
  return { kind: "ref", name, op, word: word.parts, start, end: word.end + 1 };
}

/** Index of the `}` that closes a reference whose body starts at `from` (nested `${…}` counted); -1 when none. */
function matchingBrace(input: string, from: number): number {
  let depth = 0;
  for (let i = from; i < input.length; i++) {
    if (input[i] === "$" && input[i + 1] === "$") i++;
    else if (input[i] === "$" && input[i + 1] === "{") {
      depth++;
      i++;
    } else if (input[i] === "}") {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function evaluate(parts: readonly Part[], input: string, vars: InterpolationVars, problems: InterpolationProblem[]): string {
  let out = "";
  for (const part of parts) {
    if (part.kind === "text") {
      out += part.text;
      continue;
    }
    const found = lookup(part.name, vars);
    const value = "value" in found ? found.value : undefined;
    const text = input.slice(part.start, part.end);
    if (part.op === ":-" && (value === undefined || value === "")) out += evaluate(part.word, input, vars, problems);
    else if (part.op === ":?" && (value === undefined || value === "")) {
      const why = evaluate(part.word, input, vars, problems);
      const state = value === undefined ? "is not set" : "is empty";
      problems.push({ message: `required variable \`${part.name}\` ${state}${why === "" ? "" : `: ${why}`}`, index: part.start, text, hint: setHint(part.name, found, false) });
    } else if (value === undefined) {
      problems.push({ message: `undefined variable \`${part.name}\` in \`${text}\``, index: part.start, text, hint: setHint(part.name, found, true) });
    } else out += value;
  }
  return out;
}

/** A built-in's own value first (it describes the tree the config is in); the environment fills in when git cannot. */
function lookup(name: string, vars: InterpolationVars): { value: string } | { missing: string | null } {
  const builtin = Object.hasOwn(vars.builtins, name) ? vars.builtins[name] : undefined;
  if (builtin !== undefined && "value" in builtin) return builtin;
  const env = Object.hasOwn(vars.env, name) ? vars.env[name] : undefined;
  if (env !== undefined) return { value: env };
  return { missing: builtin === undefined ? null : builtin.unavailable };
}

function setHint(name: string, found: { value: string } | { missing: string | null }, offerDefault: boolean): string {
  const why = "missing" in found && found.missing !== null ? `${found.missing}; ` : "";
  return `${why}set ${name} in the environment${offerDefault ? `, or give a default: \${${name}:-value}` : ""}`;
}
