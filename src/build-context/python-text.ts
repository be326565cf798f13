// Python 3.13 text and number behaviours that the MeshAgent 0.39.9 CLI's build code relies on
// (str.rstrip, str.splitlines, posixpath.normpath, int() of a digit string, repr(float),
// round()), emulated exactly where they differ from JavaScript. Pure: no I/O, no state.
export { pyIsDigit, pyStrip } from "../model/python-str.js";

/** Every character Python's `str.isspace()` accepts (what `strip()`/`rstrip()` remove). */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_RSTRIP_RE = new RegExp(`[${PY_SPACE}]+$`);

/** Python `s.rstrip()` with no argument. */
export function pyRstrip(s: string): string {
  return s.replace(PY_RSTRIP_RE, "");
}

/** The line boundaries of Python's `str.splitlines()` (more than \n and \r\n). */
const PY_LINE_BREAK_RE = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python `s.splitlines()` (keepends=False): no trailing empty line, "" gives []. */
export function pySplitlines(s: string): string[] {
  const lines = s.split(PY_LINE_BREAK_RE);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** Python `posixpath.normpath(path)`: keeps exactly two leading slashes, folds `.` and `..`. */
export function pyNormpath(path: string): string {
  if (path === "") return ".";
  let initialSlashes = "";
  let rest = path;
  if (path.startsWith("/")) {
    initialSlashes = path.startsWith("//") && !path.startsWith("///") ? "//" : "/";
    rest = path.slice(initialSlashes === "//" ? 2 : 1);
  }
  const comps: string[] = [];
  for (const comp of rest.split("/")) {
    if (comp === "" || comp === ".") continue;
    if (comp !== ".." || (initialSlashes === "" && comps.length === 0) || comps[comps.length - 1] === "..") {
      comps.push(comp);
    } else if (comps.length > 0) {
      comps.pop();
    }
  }
  return initialSlashes + comps.join("/") || ".";
}

const DECIMAL_DIGIT_RE = /^\p{Nd}$/u;

/**
 * Python `int(text)` for a text whose `isdigit()` is true. Unicode decimal digits (Nd) count, as
 * in Python; returns null where Python's int() raises (superscripts and other non-decimal digits).
 */
export function pyDigitsValue(text: string): number | null {
  let value = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    let digit: number;
    if (cp >= 0x30 && cp <= 0x39) {
      digit = cp - 0x30;
    } else if (DECIMAL_DIGIT_RE.test(ch)) {
      // Unicode encodes every decimal digit set as a contiguous 0..9 run, so the distance from the
      // start of the enclosing run of Nd code points, modulo 10, is the digit's value.
      let start = cp;
      while (start > 0 && DECIMAL_DIGIT_RE.test(String.fromCodePoint(start - 1))) start -= 1;
      digit = (cp - start) % 10;
    } else {
      return null;
    }
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Python `repr(x)` (== `str(x)`) of a float: the shortest round-trip digits (as JavaScript's
 * `String(x)` picks them), laid out the way Python does: fixed notation while the decimal
 * exponent is in (-4, 16], with a ".0" on integral values; otherwise `d.ddde±XX`.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const { digits, decpt } = shortestDigits(Math.abs(x));
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const exp = decpt - 1;
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** The significant digits of a positive finite x and the position of the decimal point. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const text = String(x);
  const e = text.indexOf("e");
  const mantissa = e >= 0 ? text.slice(0, e) : text;
  const exponent = e >= 0 ? Number(text.slice(e + 1)) : 0;
  const dot = mantissa.indexOf(".");
  const intPart = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
  const fracPart = dot >= 0 ? mantissa.slice(dot + 1) : "";
  const all = intPart + fracPart;
  const lead = all.length - all.replace(/^0+/, "").length;
  const digits = all.slice(lead).replace(/0+$/, "");
  return { digits, decpt: intPart.length - lead + exponent };
}

/** Python `round(x)` of a float: to the nearest integer, ties to even. */
export function pyRound(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor; // exact for doubles
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** `st_mtime` as CPython 3.13 computes it from the timespec: `sec + nsec * 1e-9` in doubles. */
export function pyStatFloatSeconds(ns: bigint): number {
  let sec = ns / 1_000_000_000n;
  let nsec = ns - sec * 1_000_000_000n;
  if (nsec < 0n) {
    sec -= 1n;
    nsec += 1_000_000_000n;
  }
  return Number(sec) + Number(nsec) * 1e-9;
}
