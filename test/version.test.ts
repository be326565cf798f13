// The version meshdeploy reports is the package's own.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { MESHDEPLOY_VERSION } from "../src/version.js";

it("MESHDEPLOY_VERSION is package.json's version", () => {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  assert.equal(MESHDEPLOY_VERSION, pkg.version);
});
