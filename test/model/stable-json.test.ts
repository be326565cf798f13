// The canonical JSON behind every recorded spec-hash: the one-pass writer must give exactly the
// text of its definition, JSON.stringify of a key-sorted copy, or recorded hashes stop matching.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { referenceStableStringify, sha256Hex, stableStringify } from "../../src/model/stable-json.js";

/** A small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ["a", "b", "B", "_", "10", "9", "0", "01", "-1", "4294967294", "4294967295", "é", "meshagent.service.id", "__proto__", ""];
const ODD = [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 0.1, -7, "", "\u2028\"\\", true, false, () => 1];

function randomValue(random: () => number, depth: number): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const roll = random();
  if (depth > 3 || roll < 0.4) return pick(ODD);
  if (roll < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  const object: Record<string, unknown> = {};
  // defineProperty: a `__proto__` member as JSON.parse makes it (an own property, not the prototype)
  for (let i = Math.floor(random() * 5); i > 0; i--) Object.defineProperty(object, pick(KEYS), { value: randomValue(random, depth + 1), enumerable: true, configurable: true, writable: true });
  return object;
}

describe("stableStringify", () => {
  it("property: gives exactly JSON.stringify of the key-sorted copy (array-index keys, __proto__, undefined, NaN, functions)", () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const value = randomValue(prng(seed), 0);
      assert.equal(stableStringify(value), referenceStableStringify(value), `seed ${seed}`);
    }
  });

  it("sorts keys at every level, array-index keys first as JavaScript orders them", () => {
    assert.equal(stableStringify({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null }, 10: "x", 9: "y" }), '{"9":"y","10":"x","a":{"c":null,"d":[2,{"f":1}]},"b":1}');
  });

  it("keeps a known spec-hash: the text of an environment list hashes as recorded", () => {
    const text = stableStringify({ leaves: { "container.image": "acme/web:1" }, environment: [{ name: "A", value: "1" }], extra: { domain: "" } });
    assert.equal(text, '{"environment":[{"name":"A","value":"1"}],"extra":{"domain":""},"leaves":{"container.image":"acme/web:1"}}');
    assert.equal(sha256Hex(text), sha256Hex(referenceStableStringify(JSON.parse(text))));
  });
});
