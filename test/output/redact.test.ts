// Redaction of a credential a server echoes back altered (audit L2): URL-encoded, JSON-escaped,
// base64 at any alignment (also of the whole `Bearer …` header), or truncated.
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
});
