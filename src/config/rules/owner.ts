// The owner scope must be a usable annotation value. A written `owner:` is checked by the schema;
// this rule checks a default (the directory name; a git-derived owner always fits), which the
// schema never sees. Pure.
import type { Diagnostic } from "../../diagnostic.js";
import { OWNER_PATTERN } from "../../model/owner.js";
import { quote } from "../describe-value.js";
import { diagnostic, type RuleContext } from "./context.js";

export { OWNER_PATTERN };

export function ownerRule(ctx: RuleContext): Diagnostic[] {
  if (ctx.config.owner !== undefined || OWNER_PATTERN.test(ctx.owner)) return [];
  const what = ctx.ownerSource?.type === "git" ? "the owner derived from the git remote" : "the config directory's name";
  return [
    diagnostic(
      "owner",
      ctx.locate([]),
      `Expected ${what} to be a valid owner (1–63 letters, digits, '.', '_' or '-', starting with a letter or digit), got ${quote(ctx.owner)}`,
      "set `owner:` explicitly; without it the owner comes from the git remote and the config's path, or (outside git) the directory holding the config file",
    ),
  ];
}
