// The owner scope must be a usable annotation value. A written `owner:` is checked by the schema;
// this rule checks the default, the config directory's name, which the schema never sees. Pure.
import type { Diagnostic } from "../../diagnostic.js";
import { quote } from "../describe-value.js";
import { diagnostic, type RuleContext } from "./context.js";

/** Same as `properties.owner.pattern` in schemas/meshdeploy.schema.json (a test keeps them equal). */
export const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function ownerRule(ctx: RuleContext): Diagnostic[] {
  if (ctx.config.owner !== undefined || OWNER_PATTERN.test(ctx.owner)) return [];
  return [
    diagnostic(
      "owner",
      ctx.locate([]),
      `Expected the config directory's name to be a valid owner (1–63 letters, digits, '.', '_' or '-', starting with a letter or digit), got ${quote(ctx.owner)}`,
      "set `owner:` explicitly; it defaults to the name of the directory holding the config file",
    ),
  ];
}
