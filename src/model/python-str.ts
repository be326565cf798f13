// Python (CPython 3.11+) string and urllib behaviours that the MeshAgent CLI's image-tag code relies
// on, emulated exactly where they differ from JavaScript. Pure: no I/O.
import { isIPv6 } from "node:net";

/** Every character Python's `str.isspace()` accepts (and so `str.strip()` removes). Unlike JS
 *  `trim()`, this includes \x1c-\x1f and \x85, and excludes U+FEFF (BOM). */
const PY_SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const PY_STRIP_RE = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

/** Python `s.strip()` with no argument. */
export function pyStrip(s: string): string {
  return s.replace(PY_STRIP_RE, "");
}

/**
 * Python `s.isdigit()`: non-empty, and every code point has Numeric_Type Decimal (\p{Nd}) or Digit.
 * The Digit-but-not-Decimal code points (superscripts, subscripts, circled and parenthesised digits,
 * Ethiopic, Kharoshthi, ...) are listed explicitly: JS regexes have no Numeric_Type property.
 * The list is Python 3.11's (Unicode 14); \p{Nd} follows Node's Unicode version.
 */
const PY_DIGITS_RE =
  /^[\p{Nd}\u00B2\u00B3\u00B9\u1369-\u1371\u19DA\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792\u{10A40}-\u{10A43}\u{10E60}-\u{10E68}\u{11052}-\u{1105A}\u{1F100}-\u{1F10A}]+$/u;

export function pyIsDigit(s: string): boolean {
  return PY_DIGITS_RE.test(s);
}

/** Raised where Python's `urllib.parse` raises ValueError (the CLI does not catch it). */
export class PyUrlValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PyUrlValueError";
  }
}

/**
 * `urlparse(url)` with its `.hostname` (lowercased, null when empty) and `.port` (an integer, null
 * when absent). Throws PyUrlValueError where Python raises ValueError; like Python's property,
 * `port()` only validates the port when it is read.
 */
export function pyUrlHostPort(url: string): { hostname: string | null; port(): number | null } {
  // urlsplit: drop leading C0 controls/space and every tab/CR/LF, then the scheme.
  let rest = url.replace(/^[\x00-\x20]+/, "").replace(/[\t\r\n]/g, "");
  const colon = rest.indexOf(":");
  if (colon > 0 && /^[A-Za-z][A-Za-z0-9+\-.]*$/.test(rest.slice(0, colon))) rest = rest.slice(colon + 1);
  if (!rest.startsWith("//")) return { hostname: null, port: () => null };
  const netloc = /^[^/?#]*/.exec(rest.slice(2))?.[0] ?? "";
  if (netloc.includes("[") !== netloc.includes("]")) throw new PyUrlValueError("Invalid IPv6 URL");
  if (netloc.includes("[")) checkBracketedHost(netloc.slice(netloc.indexOf("[") + 1).split("]")[0] ?? "");
  checkNetlocNfkc(netloc);

  const hostinfo = netloc.slice(netloc.lastIndexOf("@") + 1);
  let host: string;
  let portText: string;
  const bracket = hostinfo.indexOf("[");
  if (bracket >= 0) {
    const bracketed = hostinfo.slice(bracket + 1);
    const close = bracketed.indexOf("]");
    host = close >= 0 ? bracketed.slice(0, close) : bracketed;
    const after = close >= 0 ? bracketed.slice(close + 1) : "";
    portText = after.includes(":") ? after.slice(after.indexOf(":") + 1) : "";
  } else {
    const c = hostinfo.indexOf(":");
    host = c >= 0 ? hostinfo.slice(0, c) : hostinfo;
    portText = c >= 0 ? hostinfo.slice(c + 1) : "";
  }

  const pct = host.indexOf("%"); // a scoped IPv6 zone is not lowercased
  const hostname = host === "" ? null : pct >= 0 ? host.slice(0, pct).toLowerCase() + host.slice(pct) : host.toLowerCase();
  return { hostname, port: () => pyUrlPort(portText) };
}

function pyUrlPort(portText: string): number | null {
  if (portText === "") return null;
  if (!/^[0-9]+$/.test(portText)) {
    throw new PyUrlValueError(`Port could not be cast to integer value as '${portText}'`);
  }
  const port = Number.parseInt(portText, 10);
  if (port > 65535) throw new PyUrlValueError("Port out of range 0-65535");
  return port;
}

/** urllib's `_check_bracketed_host`: an IPv6 address or an IPvFuture literal. */
function checkBracketedHost(host: string): void {
  if (host.startsWith("v")) {
    if (!/^v[a-fA-F0-9]+\..+$/s.test(host)) throw new PyUrlValueError("IPvFuture address is invalid");
  } else if (!isIPv6(withoutZone(host))) {
    throw new PyUrlValueError(`'${host}' does not appear to be an IPv6 address`);
  }
}

/** ipaddress.IPv6Address: an address with an optional `%zone` (non-empty, no further "%"). */
function withoutZone(host: string): string {
  const pct = host.indexOf("%");
  if (pct < 0) return host;
  const zone = host.slice(pct + 1);
  return zone === "" || zone.includes("%") ? host : host.slice(0, pct);
}

/** urllib's `_checknetloc`: a non-ASCII netloc must not gain URL delimiters under NFKC. */
function checkNetlocNfkc(netloc: string): void {
  if (/^[\x00-\x7f]*$/.test(netloc)) return;
  const stripped = netloc.replace(/[@:#?]/g, "");
  const normalized = stripped.normalize("NFKC");
  if (normalized === stripped) return;
  if (/[/?#@:]/.test(normalized)) {
    throw new PyUrlValueError(`netloc '${netloc}' contains invalid characters under NFKC normalization`);
  }
}
