// Text from outside meshdeploy (a room's annotations, owners and messages; a config's keys and
// values) must never reach a terminal as control bytes: an ESC sequence can clear the screen, set
// the window title or hide text, and bidi or zero-width characters make two names print alike
// (the class of kubectl's CVE-2021-25743). Unsafe characters are written as `\uXXXX` — readable,
// and the same escape JSON uses, so a JSON document stays valid and means the same. Pure.

/**
 * C0/C1 controls and DEL (\p{Cc}), format characters such as zero-width spaces and bidi overrides
 * (\p{Cf}), line/paragraph separators and lone surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** An SGR sequence output/style.ts emits (bold, dim, red, green, yellow, resets), or one unsafe character. */
const STYLE_OR_UNSAFE = /\u001b\[(?:1|2|22|31|32|33|39)m|[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

export function escapeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** Every unsafe character of a value escaped (tabs and newlines too): for quoting inside a message. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** True when `text` holds a character escapeUnsafe would escape. */
export function hasUnsafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * A line about to be printed: unsafe characters escaped, except newlines and tabs (help texts and
 * JSON documents span lines) and, when `style` is true, meshdeploy's own colour sequences.
 */
export function terminalSafe(text: string, style: boolean): string {
  return text.replace(STYLE_OR_UNSAFE, (m) => {
    if (m.length > 1) return style ? m : escapeChar("\u001b") + m.slice(1);
    return m === "\n" || m === "\t" ? m : escapeChar(m);
  });
}
