// `name:` on a service (the exception to tag-derived names) follows the characters a derived name
// can have — a repository path with "/" turned into "-": lowercase letters, digits, '.', '_', '-',
// starting and ending with a letter or digit, at most 63 (as room names). Pure.
import type { Diagnostic } from "../../diagnostic.js";
import { quote } from "../describe-value.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export const SERVICE_NAME_PATTERN = /^[a-z0-9](?:[-a-z0-9._]*[a-z0-9])?$/;
const MAX_LENGTH = 63;

export function serviceNameRule(ctx: RuleContext): Diagnostic[] {
  return ctx.services.flatMap((service) => {
    const name = service.name;
    if (name === null || (name.length <= MAX_LENGTH && SERVICE_NAME_PATTERN.test(name))) return [];
    return [
      diagnostic(
        "service-name",
        ctx.locate(servicePath(service, "name")),
        `Expected services[${service.index}].name to be 1–63 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit, got ${quote(name)}`,
        "leave `name:` out to use the name derived from the tag; set it only to manage a service deployed under another name (e.g. a .meshagent/deploy.yaml template's metadata.name)",
      ),
    ];
  });
}
