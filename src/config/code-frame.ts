// Renders a Diagnostic as a code frame (rustc style):
//
//   error: unknown key `tgas`; did you mean `tag`?
//     --> .meshdeploy.yaml:12:5
//      |
//   12 |   - tgas: web:1
//      |     ^^^^
//      = hint: allowed keys …
//
// Pure: takes the source text (null when unavailable) and returns lines without colour or a
// trailing newline; printing and colouring are the caller's business.
import type { Diagnostic } from "../diagnostic.js";

/** The longest part of a source line a frame shows, and how much of it comes before the column. */
const MAX_SHOWN = 160;
const WINDOW_BEFORE = 60;

export function renderCodeFrame(diagnostic: Diagnostic, source: string | null): string[] {
  const { file, line, column } = diagnostic.location;
  const raw = source === null ? undefined : (source.startsWith("\uFEFF") ? source.slice(1) : source).split(/\r?\n/)[line - 1];
  // Control characters (a binary file) would garble the terminal; one placeholder each keeps columns.
  const text = raw?.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, "\uFFFD");
  const width = String(line).length;
  const pad = " ".repeat(width);
  const out = [`error: ${diagnostic.message}`, `${pad}--> ${file}:${line}:${column}`];
  if (text !== undefined) {
    const start = Math.min(Math.max(column - 1, 0), text.length);
    // A very long line (minified JSON, a generated file) shows a window around the column.
    const from = text.length > MAX_SHOWN ? Math.max(0, Math.min(start - WINDOW_BEFORE, text.length - MAX_SHOWN)) : 0;
    const to = Math.min(text.length, from + MAX_SHOWN);
    const shown = `${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`;
    // Keep tabs so the caret lines up however the terminal expands them.
    const indent = (from > 0 ? " " : "") + text.slice(from, start).replace(/[^\t]/g, " ");
    const caret = Math.max(1, Math.min(tokenLength(text.slice(start)), to - start));
    out.push(`${pad} |`, `${line} | ${shown}`, `${pad} | ${indent}${"^".repeat(caret)}`);
  }
  if (diagnostic.hint !== undefined) out.push(`${pad} = hint: ${diagnostic.hint}`);
  return out;
}

/** How much of `rest` the caret underlines: a quoted string, a flow collection or a plain token. */
function tokenLength(rest: string): number {
  if (rest === "") return 1;
  const first = rest[0] as string;
  if (first === '"' || first === "'") {
    for (let i = 1; i < rest.length; i++) {
      if (first === '"' && rest[i] === "\\") i++;
      else if (rest[i] === first) return i + 1;
    }
    return rest.length;
  }
  if (first === "[" || first === "{") {
    const close = first === "[" ? "]" : "}";
    let depth = 0;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === first) depth++;
      else if (rest[i] === close && --depth === 0) return i + 1;
    }
    return 1;
  }
  let end = 0;
  while (end < rest.length) {
    const c = rest[end] as string;
    const next = rest[end + 1];
    if (c === "," || c === "]" || c === "}") break;
    if (c === ":" && (next === undefined || /[\s,\]}]/.test(next))) break;
    if (c === "#" && end > 0 && /\s/.test(rest[end - 1] as string)) break;
    end++;
  }
  return Math.max(1, rest.slice(0, end).trimEnd().length);
}
