import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { didYouMean, editDistance, keyAlias } from "../../src/config/did-you-mean.js";

describe("editDistance (Damerau-Levenshtein, adjacent swaps)", () => {
  test("counts inserts, deletes, substitutions and swaps as one edit each", () => {
    assert.equal(editDistance("tag", "tag"), 0);
    assert.equal(editDistance("tgas", "tags"), 1); // swap
    assert.equal(editDistance("tgas", "tag"), 2); // swap + delete
    assert.equal(editDistance("envv", "env"), 1);
    assert.equal(editDistance("", "abc"), 3);
    assert.equal(editDistance("kitten", "sitting"), 3);
  });
});

describe("didYouMean", () => {
  const keys = ["tag", "room", "env", "secrets", "identity", "token", "mounts", "ports", "domain", "public"];
  test("suggests close keys", () => {
    assert.equal(didYouMean("tgas", keys), "tag");
    assert.equal(didYouMean("tags", ["tag", "tags"]), "tag");
    assert.equal(didYouMean("tgas", ["tags", "tag"]), "tags");
    assert.equal(didYouMean("secret", keys), "secrets");
    assert.equal(didYouMean("Port", keys), "ports");
    assert.equal(didYouMean("fulll", ["userDefault", "agentDefault", "full"]), "full");
  });
  test("compares case-insensitively", () => {
    assert.equal(didYouMean("TAG", keys), "tag");
  });
  test("stays silent when nothing is close", () => {
    assert.equal(didYouMean("udp", ["http", "tcp"]), null);
    assert.equal(didYouMean("replicas", keys), null);
    assert.equal(didYouMean("x", keys), null);
  });
});

describe("keyAlias", () => {
  test("maps Compose's `environment:` (and its misspelling) to `env` where a service allows it", () => {
    assert.equal(keyAlias("environment", ["tag", "env"]), "env");
    assert.equal(keyAlias("enviroment", ["tag", "env"]), "env");
    assert.equal(keyAlias("environment", ["version", "services"]), null);
    assert.equal(keyAlias("envv", ["tag", "env"]), null);
  });
});
