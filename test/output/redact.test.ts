// The redactor: every credential held, longest first, also when a server echoes it altered (audit L2:
// URL-encoded, JSON-escaped, base64 at any alignment, truncated); a short-lived credential (a build's
// registry token) is released after use so a long watch does not pile up.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Redactor } from "../../src/output/redact.js";

const KEY = "ma-LEAKCANARYaaaabbbbcccc-LEAKCANARYprojprojproj-Zq8vX1wKdoNotPrintThisSecretPart";

describe("Redactor", () => {
  const redactor = new Redactor();
  redactor.add(KEY);
  const leaks = (line: string): boolean => /Zq8vX1wK|DoNotPrint|doNotPrint|LEAKCANARY|TEFLS0NBTkFSW|WnE4dlgxd0tkb05vdFByaW50/i.test(line);

  it("redacts a verbatim echo, as before", () => {
    assert.equal(redactor.redact(`401: bad token ${KEY}.`), "401: bad token ***.");
  });

  it("redacts URL-encoded and JSON-escaped echoes", () => {
    for (const echo of [encodeURIComponent(KEY), KEY.replaceAll("-", "%2D"), KEY.replaceAll("-", "%2d"), KEY.replaceAll("-", "\\u002d"), KEY.replaceAll("-", "\\u002D")]) {
      const line = redactor.redact(`GET /x → 401: invalid key ${echo}`);
      assert.equal(leaks(line), false, line);
      assert.match(line, /^GET \/x → 401: invalid key \*\*\*/);
    }
  });

  it("redacts base64 of the key or of a header holding it, at every alignment", () => {
    for (const prefix of ["", "Bearer ", "Bearer  ", "x"]) {
      const echo = Buffer.from(`${prefix}${KEY}`).toString("base64");
      const line = redactor.redact(`401: ${echo}`);
      assert.equal(line.includes(Buffer.from(KEY.slice(20, 60)).toString("base64").slice(4, 20)), false, `${prefix}: ${line}`);
      assert.ok(line.length < 40, `${JSON.stringify(prefix)}: ${line}`);
    }
  });

  it("redacts a truncated echo (any run of 12+ characters of the key), but leaves ordinary text", () => {
    const line = redactor.redact(`401: key ${KEY.slice(0, 40)}… refused`);
    assert.equal(line, "401: key ***… refused");
    const plain = "plan: 3 to create in room dev (project 8c3e0000-1111-2222-3333-444455556666)";
    assert.equal(redactor.redact(plain), plain);
    assert.equal(redactor.redact("LEAKCANARY"), "LEAKCANARY", "a short piece (under 12 characters) is ordinary text");

  });

  it("replaces every held credential, a longer one containing a shorter one whole, regex characters literally", () => {
    const redactor = new Redactor();
    redactor.add("abcdefgh");
    redactor.add("abcdefgh-and-more");
    redactor.add("a.b*c+d?(e)[f]");
    redactor.add("short"); // too short to be a credential
    assert.equal(redactor.redact("x abcdefgh-and-more y abcdefgh z a.b*c+d?(e)[f] short"), "x *** y *** z *** short");
    assert.equal(redactor.redact("axbxcxdxexfxgxh"), "axbxcxdxexfxgxh");
  });

  it("forgets a released credential, but only after every holder released it", () => {
    const redactor = new Redactor();
    redactor.add("long-lived-api-key");
    for (let cycle = 0; cycle < 2_000; cycle += 1) {
      const token = `registry-token-${cycle}-xxxxxxxx`;
      redactor.add(token);
      assert.equal(redactor.redact(`push ${token}`), "push ***");
      redactor.release(token);
    }
    assert.equal(redactor.size, 1, "2,000 build cycles leave only the long-lived credential");
    redactor.add("shared-secret-1");
    redactor.add("shared-secret-1");
    redactor.release("shared-secret-1");
    assert.equal(redactor.redact("shared-secret-1"), "***", "still held once");
    redactor.release("shared-secret-1");
    assert.equal(redactor.redact("shared-secret-1"), "shared-secret-1");
    assert.equal(redactor.redact("long-lived-api-key"), "***");
  });
});
