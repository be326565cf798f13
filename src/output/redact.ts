// The last line of defence: every string meshdeploy prints passes through a Redactor that knows
// the credentials in play (API key, token) and replaces them. Modules should never put a
// credential in a message in the first place; this catches what a server echoes back.
// Credentials that only live for one operation (a build's registry token) are released when it
// ends, so a long watch does not accumulate them; matching is one pass over the text.

export class Redactor {
  /** Each credential and how many holders added it (released when the count reaches 0). */
  readonly #secrets = new Map<string, number>();
  #matcher: RegExp | null = null;

  add(secret: string | undefined | null): void {
    // Very short values would redact ordinary words; real credentials are long.
    if (!secret || secret.length < 8) return;
    this.#secrets.set(secret, (this.#secrets.get(secret) ?? 0) + 1);
    this.#matcher = null;
  }

  /** Undoes one `add` of a short-lived credential; it stays redacted while another holder has it. */
  release(secret: string | undefined | null): void {
    if (!secret) return;
    const count = this.#secrets.get(secret);
    if (count === undefined) return;
    if (count > 1) this.#secrets.set(secret, count - 1);
    else {
      this.#secrets.delete(secret);
      this.#matcher = null;
    }
  }

  /** How many distinct credentials are held (for tests and benchmarks). */
  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0) return text;
    // Longest first, so a credential that contains another is replaced whole.
    this.#matcher ??= new RegExp([...this.#secrets.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
    return text.replace(this.#matcher, "***");
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
