// EXPOSE entries BuildKit would refuse are found (the CLI's parser skips them); variables, ranges
// and protocols are ports; only the final stage counts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { invalidExposes, isPortSpec } from "../../src/build-context/expose-check.js";

describe("expose-check", () => {
  it("ports, ranges, protocols and variables are ports; the rest are not", () => {
    for (const ok of ["80", "8000/tcp", "53/UDP", "9/sctp", "8000-8010", "1", "65535", "$PORT", "${PORT}/tcp"]) assert.equal(isPortSpec(ok), true, ok);
    for (const bad of ["0", "99999", "65536", "abc", "80/xyz", "9000-8000", "80-", "-1", "1e3", ""]) assert.equal(isPortSpec(bad), false, bad);
  });

  it("lists the final stage's bad entries in order", () => {
    assert.deepEqual(invalidExposes("FROM a\nEXPOSE 8000 99999 abc 9000/udp\n"), ["99999", "abc"]);
    assert.deepEqual(invalidExposes("FROM a AS b\nEXPOSE nope\nFROM c\nEXPOSE 80\n"), []);
    assert.deepEqual(invalidExposes("FROM a\nEXPOSE 8000 \\\n  70000/tcp\n"), ["70000/tcp"]);
  });
});
