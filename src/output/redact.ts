// The last line of defence: every string meshdeploy prints passes through a Redactor that knows
// the credentials in play (API key, token) and replaces them. Modules should never put a
// credential in a message in the first place; this catches what a server echoes back — also when
// it echoes it altered (audit L2): URL-encoded (`%2D`), JSON-escaped (`\u002d`), base64 (of the
// credential or of a header holding it, at any alignment), or cut short (any run of 12 or more
// characters of a credential is redacted).

// Credentials that only live for one operation (a build's registry token) are released when it
// ends, so a long watch does not accumulate them; whole forms are matched in one pass.

/** The shortest run of a credential's characters that is redacted on its own. */
const FRAGMENT = 12;

export class Redactor {
  /** Each credential and how many holders added it (released when the count reaches 0). */
  readonly #held = new Map<string, number>();
  #matcher: RegExp | null = null;
  /** Every FRAGMENT-long piece of every credential. */
  #fragments = new Set<string>();

  add(secret: string | undefined | null): void {
    // Very short values would redact ordinary words; real credentials are long.
    if (!secret || secret.length < 8) return;
    const count = this.#held.get(secret);
    this.#held.set(secret, (count ?? 0) + 1);
    if (count === undefined) this.#rebuild();
  }

  /** Undoes one `add` of a short-lived credential; it stays redacted while another holder has it. */
  release(secret: string | undefined | null): void {
    if (!secret) return;
    const count = this.#held.get(secret);
    if (count === undefined) return;
    if (count > 1) this.#held.set(secret, count - 1);
    else {
      this.#held.delete(secret);
      this.#rebuild();
    }
  }

  /** How many distinct credentials are held (for tests and benchmarks). */
  get size(): number {
    return this.#held.size;
  }

  redact(text: string): string {
    if (this.#matcher === null) return text;
    const out = text.replace(this.#matcher, "***");
    return this.#fragments.size === 0 ? out : this.#redactFragments(out);
  }

  #rebuild(): void {
    const forms = new Set<string>();
    this.#fragments = new Set();
    for (const secret of this.#held.keys()) {
      for (const form of encodedForms(secret)) forms.add(form);
      if (secret.length >= FRAGMENT + 4) for (let i = 0; i + FRAGMENT <= secret.length; i++) this.#fragments.add(secret.slice(i, i + FRAGMENT));
    }
    // Longest first, so a form is replaced whole before a shorter one inside it.
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    this.#matcher = sorted.length === 0 ? null : new RegExp(sorted.map(escapeRegExp).join("|"), "g");
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
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
