// The last line of defence: every string meshdeploy prints passes through a Redactor that knows
// the credentials in play (API key, token) and replaces them. Modules should never put a
// credential in a message in the first place; this catches what a server echoes back.

export class Redactor {
  readonly #secrets: string[] = [];

  add(secret: string | undefined | null): void {
    // Very short values would redact ordinary words; real credentials are long.
    if (secret && secret.length >= 8 && !this.#secrets.includes(secret)) this.#secrets.push(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.split(secret).join("***");
    return out;
  }
}
