// The redactor: one-pass replacement of every credential held, longest first; a short-lived
// credential (a build's registry token) is released after use so a long watch does not pile up.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Redactor } from "../../src/output/redact.js";

describe("Redactor", () => {
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
