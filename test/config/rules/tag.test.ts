import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../../../src/config/load.js";

function tagHint(tag: string): string | undefined {
  const result = parseConfig(`version: 1\nroom: dev\nservices:\n  - tag: "${tag}"\n`, "/work/shop/.meshdeploy.yaml");
  assert.ok(!result.ok, `expected ${tag} to be refused`);
  const found = result.diagnostics.find((d) => d.rule === "tag");
  assert.ok(found, JSON.stringify(result.diagnostics));
  return found.hint;
}

describe("config/rules/tag hints", () => {
  it("a branch name with `/` in the tag says so and offers ${GIT_BRANCH_SLUG}", () => {
    for (const [tag, part] of [["acme/web:feature/x-39cfd30", "feature/x-39cfd30"], ["web:feature/x", "feature/x"], ["registry.example.com:5000/acme/web:fix/a", "fix/a"]] as const) {
      const hint = tagHint(tag) ?? "";
      assert.match(hint, new RegExp(`the tag \`${part.replace(/[.]/g, "\\.")}\` contains \`/\``), tag);
      assert.match(hint, /\$\{GIT_BRANCH_SLUG\}/, tag);
    }
  });

  it("other slips keep their hints", () => {
    assert.match(tagHint("api:1.0:extra") ?? "", /a reference has one `:`/);
    assert.match(tagHint("Acme/Web:1") ?? "", /lowercase image reference/);
  });
});
