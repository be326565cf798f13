// How deeply a YAML text nests, measured on yaml's lexer tokens in one linear pass, before any
// parsing: the parser and composer slow down quadratically on deep nesting (audit M2: 200,000
// nested `[` took 303 s) and recurse on it. Block nesting is counted by an indentation stack
// (plus compact `- - x` items), flow nesting by its brackets. A document past MAX_YAML_DEPTH is
// refused, located at the token that went too deep. go-yaml (kubectl, Argo CD) does the same.
// Pure.
import { CST, Lexer } from "yaml";

/** A real .meshdeploy.yaml nests about 8 deep (a custom token scope perhaps 12). */
export const MAX_YAML_DEPTH = 64;

/** The lexer's markers (document, scalar, flow end) are not in the source text. */
const MARKERS = new Set(["\u0002", "\u0018", "\u001f"]);

export interface TooDeep {
  /** 1-based line and column of the token that went past the limit. */
  line: number;
  column: number;
}

export function findTooDeep(text: string, max = MAX_YAML_DEPTH): TooDeep | null {
  const stack: number[] = []; // block levels: the column each one starts at, increasing
  let flow = 0;
  let line = 1;
  let column = 0; // 0-based within the line
  let lineStart = true; // the next content token opens (or continues) a block level
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) continue;
    const type = CST.tokenType(token);
    const at = { line, column: column + 1 };
    if (type === "flow-seq-start" || type === "flow-map-start") {
      flow++;
      if (stack.length + flow > max) return at;
    } else if (type === "flow-seq-end" || type === "flow-map-end") {
      flow = Math.max(0, flow - 1);
    } else if (lineStart && flow === 0 && type !== "space" && type !== "newline" && type !== "comment") {
      while (stack.length > 0 && (stack[stack.length - 1] as number) > column) stack.pop();
      if (stack.length === 0 || (stack[stack.length - 1] as number) < column) stack.push(column);
      if (stack.length > max) return at;
    }
    if (type === "newline") lineStart = true;
    else if (type === "seq-item-ind" || type === "explicit-key-ind") lineStart = true;
    else if (type !== "space" && type !== "comment") lineStart = false;
    const lastNewline = token.lastIndexOf("\n");
    if (lastNewline < 0) column += token.length;
    else {
      for (const ch of token) if (ch === "\n") line++;
      column = token.length - lastNewline - 1;
    }
  }
  return null;
}
