// Every shipped config is real and valid: the top-level demo and each examples/*/ directory.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { describe, it } from "node:test";
import { loadConfig } from "../src/config/load.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const files = [
  path.join(root, ".meshdeploy.yaml"),
  ...readdirSync(path.join(root, "examples")).map((dir) => path.join(root, "examples", dir, ".meshdeploy.yaml")),
];

describe("shipped configs", () => {
  it("there is a top-level config and at least three examples", () => assert.ok(files.length >= 4));
  for (const file of files) {
    it(`${path.relative(root, file)} validates`, async () => {
      const desired = await loadConfig(file);
      assert.ok(desired.services.length > 0);
    });
  }
});
