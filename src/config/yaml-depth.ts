// How deeply a YAML text nests, measured on yaml's lexer tokens in one linear pass, each token
// before the parser sees it (yaml-source.ts feeds the parser the tokens it measures): the parser
// and composer slow down quadratically on deep nesting (audit M2: 200,000 nested `[` took 303 s)
// and recurse on it. Block nesting is counted by an indentation stack (plus compact `- - x`
// items), flow nesting by its brackets. A document past MAX_YAML_DEPTH is refused, located at the
// token that went too deep. go-yaml (kubectl, Argo CD) does the same.
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
  const meter = new DepthMeter(max);
  for (const token of new Lexer().lex(text)) {
    const deep = meter.step(token);
    if (deep !== null) return deep;
  }
  return null;
}

/**
 * The same measure one lexer token at a time, so the parse can be fed the very tokens it measures
 * (yaml-source.ts: one lexing pass, and the parser never sees a token past the limit).
 */
export class DepthMeter {
  readonly #max: number;
  readonly #stack: number[] = []; // block levels: the column each one starts at, increasing
  #flow = 0;
  #line = 1;
  #column = 0; // 0-based within the line
  #lineStart = true; // the next content token opens (or continues) a block level

  constructor(max = MAX_YAML_DEPTH) {
    this.#max = max;
  }

  /** Where `token` (the lexer's next) goes past the limit, else null. */
  step(token: string): TooDeep | null {
    if (MARKERS.has(token)) return null;
    const stack = this.#stack;
    const max = this.#max;
    const type = CST.tokenType(token);
    const column = this.#column;
    let deep: TooDeep | null = null;
    if (type === "flow-seq-start" || type === "flow-map-start") {
      this.#flow++;
      if (stack.length + this.#flow > max) deep = { line: this.#line, column: column + 1 };
    } else if (type === "flow-seq-end" || type === "flow-map-end") {
      this.#flow = Math.max(0, this.#flow - 1);
    } else if (this.#lineStart && this.#flow === 0 && type !== "space" && type !== "newline" && type !== "comment") {
      while (stack.length > 0 && (stack[stack.length - 1] as number) > column) stack.pop();
      if (stack.length === 0 || (stack[stack.length - 1] as number) < column) stack.push(column);
      if (stack.length > max) deep = { line: this.#line, column: column + 1 };
    }
    if (deep !== null) return deep;
    if (type === "newline") this.#lineStart = true;
    else if (type === "seq-item-ind" || type === "explicit-key-ind") this.#lineStart = true;
    else if (type !== "space" && type !== "comment") this.#lineStart = false;
    const lastNewline = token.lastIndexOf("\n");
    if (lastNewline < 0) this.#column += token.length;
    else {
      for (const ch of token) if (ch === "\n") this.#line++;
      this.#column = token.length - lastNewline - 1;
    }
    return null;
  }
}
