// Python 3.13 `shlex.split(s, comments=False, posix=True)` and `shlex.quote(s)`, the tokenizer
// and quoting the MeshAgent 0.39.9 CLI applies to Dockerfile arguments. Pure: no I/O.
// Only the POSIX, whitespace_split, no-comment, no-punctuation lexer is restated.

/** Where Python's shlex raises ValueError ("No closing quotation", "No escaped character"). */
export class ShlexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShlexError";
  }
}

const WHITESPACE = " \t\r\n";
const QUOTES = "'\"";
const ESCAPE = "\\";
const ESCAPED_QUOTES = '"';

/** Python `shlex.split(s)` (posix, no comments). */
export function shlexSplit(s: string): string[] {
  const chars = Array.from(s);
  const tokens: string[] = [];
  let pos = 0;
  let state: string | null = " ";
  while (state !== null) {
    let token = "";
    let quoted = false;
    let escapedState = " ";
    for (;;) {
      const c = pos < chars.length ? (chars[pos] as string) : "";
      pos += 1;
      if (state === null) break;
      if (state === " ") {
        if (c === "") {
          state = null;
          break;
        } else if (WHITESPACE.includes(c)) {
          if (token !== "" || quoted) break;
        } else if (c === ESCAPE) {
          escapedState = "a";
          state = c;
        } else if (QUOTES.includes(c)) {
          state = c;
        } else {
          token = c;
          state = "a";
        }
      } else if (QUOTES.includes(state)) {
        quoted = true;
        if (c === "") throw new ShlexError("No closing quotation");
        if (c === state) {
          state = "a";
        } else if (c === ESCAPE && ESCAPED_QUOTES.includes(state)) {
          escapedState = state;
          state = c;
        } else {
          token += c;
        }
      } else if (state === ESCAPE) {
        if (c === "") throw new ShlexError("No escaped character");
        // In POSIX shells only the quote itself or the escape character may be escaped in quotes.
        if (QUOTES.includes(escapedState) && c !== state && c !== escapedState) token += state;
        token += c;
        state = escapedState;
      } else {
        // state "a": inside a word
        if (c === "") {
          state = null;
          break;
        } else if (WHITESPACE.includes(c)) {
          state = " ";
          if (token !== "" || quoted) break;
        } else if (QUOTES.includes(c)) {
          state = c;
        } else if (c === ESCAPE) {
          escapedState = "a";
          state = c;
        } else {
          token += c;
        }
      }
    }
    if (token !== "" || quoted) tokens.push(token);
  }
  return tokens;
}

const UNSAFE_RE = /[^\w@%+=:,./-]/;

/** Python `shlex.quote(s)`. */
export function shlexQuote(s: string): string {
  if (s === "") return "''";
  if (!UNSAFE_RE.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}
