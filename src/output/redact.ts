// The last line of defence: every string meshdeploy prints passes through a Redactor that knows
// the credentials in play (API key, token) and replaces them. Modules should never put a
// credential in a message in the first place; this catches what a server echoes back — also when
// it echoes it altered (audit L2): URL-encoded (`%2D`), JSON-escaped (`\u002d`), base64 (of the
// credential or of a header holding it, at any alignment), or cut short (any run of 12 or more
// characters of a credential is redacted).

/** The shortest run of a credential's characters that is redacted on its own. */
const FRAGMENT = 12;

export class Redactor {
  readonly #secrets: string[] = [];
  /** Every FRAGMENT-long piece of every credential. */
  readonly #fragments = new Set<string>();

  add(secret: string | undefined | null): void {
    // Very short values would redact ordinary words; real credentials are long.
    if (!secret || secret.length < 8 || this.#secrets.includes(secret)) return;
    for (const form of encodedForms(secret)) if (!this.#secrets.includes(form)) this.#secrets.push(form);
    // Longest first, so a form is replaced whole before a shorter one inside it.
    this.#secrets.sort((a, b) => b.length - a.length);
    if (secret.length >= FRAGMENT + 4) for (let i = 0; i + FRAGMENT <= secret.length; i++) this.#fragments.add(secret.slice(i, i + FRAGMENT));
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join("***");
    return this.#fragments.size === 0 ? out : this.#redactFragments(out);
  }

  /** Replaces every maximal run covered by credential fragments (a truncated or partial echo). */
  #redactFragments(text: string): string {
    let result = "";
    let copied = 0;
    let runEnd = -1;
    let runStart = -1;
    for (let i = 0; i + FRAGMENT <= text.length; i++) {
      if (!this.#fragments.has(text.slice(i, i + FRAGMENT))) continue;
      if (i <= runEnd) {
        runEnd = i + FRAGMENT;
        continue;
      }
      if (runStart >= 0) {
        result += `${text.slice(copied, runStart)}***`;
        copied = runEnd;
      }
      runStart = i;
      runEnd = i + FRAGMENT;
    }
    if (runStart < 0) return text;
    return `${result}${text.slice(copied, runStart)}***${text.slice(runEnd)}`;
  }
}

/** The credential as a server might echo it. */
export function encodedForms(secret: string): string[] {
  const hex = (c: string, upper: boolean): string => {
    const code = c.charCodeAt(0).toString(16).padStart(2, "0");
    return upper ? code.toUpperCase() : code;
  };
  const forms = new Set<string>([secret, encodeURIComponent(secret)]);
  for (const upper of [false, true]) {
    forms.add(secret.replace(/[^A-Za-z0-9]/g, (c) => `%${hex(c, upper)}`));
    forms.add(secret.replace(/[^A-Za-z0-9]/g, (c) => `\\u${hex(c, upper).padStart(4, "0")}`));
  }
  // base64 of any text holding the secret contains, at one of three alignments, the characters
  // that depend on the secret's bytes alone: the encoding without its first and last group.
  const bytes = Buffer.from(secret, "utf8");
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString("base64");
    const core = encoded.slice(shift === 0 ? 0 : 4, -4);
    if (core.length >= FRAGMENT) {
      forms.add(core);
      forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
    }
  }
  return [...forms];
}
