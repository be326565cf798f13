// Platform generations: version parsing like the CLI's _version_key, features from the first
// version that has them (platform-0.50.md §3.1), the model generation, and what a missing,
// garbled or newer version means.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FEATURE_SINCE, hasFeature, parseVersion, platformOf, type Feature } from "../../src/model/platform.js";

describe("platform versions", () => {
  it("parses major.minor.patch from leading digits", () => {
    assert.deepEqual(parseVersion("0.50.1"), [0, 50, 1]);
    assert.deepEqual(parseVersion("0.50.1rc2"), [0, 50, 1]);
    assert.deepEqual(parseVersion("v0.45"), [0, 45, 0]);
    assert.deepEqual(parseVersion(" 1.2.3-dev "), [1, 2, 3]);
    assert.equal(parseVersion("latest"), null);
    assert.equal(parseVersion("7"), null);
  });

  it("each feature starts at its first version, not at a generation switch", () => {
    for (const [feature, since] of Object.entries(FEATURE_SINCE) as [Feature, string][]) {
      const [major, minor, patch] = parseVersion(since)!;
      assert.equal(hasFeature({ version: since }, feature), true, `${feature} at ${since}`);
      const before = patch > 0 ? `${major}.${minor}.${patch - 1}` : `${major}.${minor - 1}.99`;
      assert.equal(hasFeature({ version: before }, feature), false, `${feature} before ${since} (${before})`);
    }
    assert.equal(hasFeature({ version: "0.44.9" }, "routeSpec"), true);
    assert.equal(hasFeature({ version: "0.44.9" }, "serviceAccountSecrets"), false);
    assert.equal(hasFeature({ version: "0.39.9" }, "buildTags"), false);
  });

  it("a server without a version is 0.39; 0.45 and later use the 0.50.1 models", () => {
    assert.deepEqual(platformOf(null, "server"), { version: "0.39.9", source: "server-without-version", generation: "0.39.9" });
    assert.equal(platformOf("0.44.7", "server").generation, "0.39.9");
    assert.equal(platformOf("0.45.0", "server").generation, "0.50.1");
    assert.deepEqual(platformOf("0.50.1", "flag"), { version: "0.50.1", source: "flag", generation: "0.50.1" });
  });

  it("a garbled version is treated as the newest known, and a newer one is spoken to as 0.50.1, both with a warning", () => {
    const garbled = platformOf("banana", "server");
    assert.equal(garbled.generation, "0.50.1");
    assert.match(garbled.warning ?? "", /"banana" is not a version/);
    const newer = platformOf("0.56.0", "server");
    assert.equal(newer.generation, "0.50.1");
    assert.equal(newer.version, "0.56.0");
    assert.match(newer.warning ?? "", /newer than 0\.50\.1/);
    assert.equal(platformOf("0.50.1", "server").warning, undefined);
  });
});
