// One `.dockerignore` line → a regular expression, restated from pathspec 1.1.1's
// GitIgnoreSpecPattern (registered as "gitwildmatch", the factory the MeshAgent 0.39.9 CLI uses;
// the CLI pins pathspec>=1.0.3,<2). The regex is built for JavaScript with Python `re` semantics
// (`.` excludes only \n, `$` also matches before a final \n). Pure: no I/O.
import { pyRstrip } from "./python-text.js";

/** A pattern line pathspec refuses (the CLI would fail with a traceback). */
export class IgnorePatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IgnorePatternError";
  }
}

/** A compiled line: `include` true = matching paths are ignored, false = a `!` negation. */
export interface CompiledPattern {
  regex: RegExp;
  include: boolean;
}

const ANY = "[^\\n]"; // Python's `.` without DOTALL
const END = "(?=\\n?$)"; // Python's `$` without MULTILINE
const DIR_MARK = "/"; // pathspec's `(?P<ps_d>/)`; the group name only matters to GitIgnoreSpec
const DIR_MARK_OPT = `(?:/|${END})`;

/** Compile one line; null for blank lines, comments, `/` and (as Git does) bad bracket ranges. */
export function compileIgnoreLine(line: string): CompiledPattern | null {
  // A trailing escaped space keeps the line as it is; otherwise trailing whitespace goes.
  const p = line.endsWith("\\ ") ? line : pyRstrip(line);
  if (p === "" || p.startsWith("#") || p === "/") return null;
  const include = !p.startsWith("!");
  const body = include ? p : p.slice(1);
  const segs = body.split("/");
  const isDirPattern = segs[segs.length - 1] === "";
  const normalized = normalizeSegments(isDirPattern, segs, line);
  let source: string;
  if (typeof normalized === "string") {
    source = normalized;
  } else {
    const parts = translateSegments(isDirPattern, normalized, line);
    if (parts === null) return null;
    source = parts;
  }
  return { regex: new RegExp(source, "u"), include };
}

function normalizeSegments(isDirPattern: boolean, segs: string[], line: string): string[] | string {
  if (segs[0] === "") {
    segs.shift(); // a leading slash anchors to the root
  } else if (segs.length === 1 || (segs.length === 2 && segs[1] === "")) {
    if (segs[0] !== "**") segs.unshift("**"); // one segment matches at any depth
  }
  if (segs.length === 0) throw new IgnorePatternError(`Invalid git pattern: ${pyRepr(line)}`);
  if (segs[segs.length - 1] === "") segs[segs.length - 1] = "**";
  for (let i = segs.length - 1; i > 0; i -= 1) {
    if (segs[i - 1] === "**" && segs[i] === "**") segs.splice(i, 1);
  }
  const [a, b, c] = segs;
  if (segs.length === 1 && a === "**") return isDirPattern ? DIR_MARK : ANY;
  if (segs.length === 2 && a === "**" && b === "*") return ANY;
  if (segs.length === 3 && a === "**" && b === "*" && c === "**") return isDirPattern ? DIR_MARK : "/";
  return segs;
}

function translateSegments(isDirPattern: boolean, segs: string[], line: string): string | null {
  let out = "";
  let needSlash = false;
  const end = segs.length - 1;
  for (const [i, seg] of segs.entries()) {
    if (seg === "**") {
      if (i === 0) out += `^(?:${ANY}+/)?`;
      else if (i < end) {
        out += `(?:/${ANY}+)?`;
        needSlash = true;
      } else out += isDirPattern ? DIR_MARK : "/";
      continue;
    }
    if (i === 0) out += "^";
    if (needSlash) out += "/";
    if (seg === "*") out += "[^/]+";
    else {
      const glob = translateGlob(seg, line);
      if (glob === null) return null; // Git discards patterns with invalid range notation
      out += glob;
    }
    if (i === end) out += DIR_MARK_OPT;
    needSlash = true;
  }
  return out;
}

/** pathspec's `_translate_segment_glob(pattern, "raise")`; null = unterminated bracket. */
function translateGlob(pattern: string, line: string): string | null {
  const chars = Array.from(pattern);
  let out = "";
  let escape = false;
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] as string;
    i += 1;
    if (escape) {
      escape = false;
      out += literal(ch);
    } else if (ch === "\\") {
      escape = true;
    } else if (ch === "*") {
      out += "[^/]*";
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "[") {
      let j = i;
      if (j < chars.length && (chars[j] === "!" || chars[j] === "^")) j += 1;
      if (j < chars.length && chars[j] === "]") j += 1;
      while (j < chars.length && chars[j] !== "]") j += 1;
      if (j >= chars.length) return null;
      j += 1;
      let negate = false;
      if (chars[i] === "!" || chars[i] === "^") {
        negate = true;
        i += 1;
      }
      out += bracket(chars.slice(i, j - 1), negate, line);
      i = j;
    } else {
      out += literal(ch);
    }
  }
  if (escape) throw new IgnorePatternError(`Invalid git pattern: ${pyRepr(line)}`);
  return out;
}

/**
 * The bracket expression pathspec hands to Python's `re` (`[` + negation + content + `]`, every
 * backslash doubled so it is literal), parsed as Python's set parser does and re-emitted as an
 * unambiguous JavaScript class: a first `]` is literal, `a-b` is a range, a `-` before `]` is literal.
 */
function bracket(content: string[], negate: boolean, line: string): string {
  const items: string[] = [];
  let k = 0;
  while (k < content.length) {
    const lo = content[k] as string;
    k += 1;
    if (content[k] === "-" && k + 1 < content.length) {
      const hi = content[k + 1] as string;
      k += 2;
      if ((hi.codePointAt(0) ?? 0) < (lo.codePointAt(0) ?? 0)) {
        throw new IgnorePatternError(`bad character range ${lo}-${hi} in .dockerignore pattern ${pyRepr(line)}`);
      }
      items.push(`${classChar(lo)}-${classChar(hi)}`);
    } else {
      items.push(classChar(lo));
    }
  }
  return `[${negate ? "^" : ""}${items.join("")}]`;
}

function classChar(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

function literal(ch: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function pyRepr(s: string): string {
  return s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
