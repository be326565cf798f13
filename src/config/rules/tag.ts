// The image tag parses exactly as the 0.39 CLI's `--tag` would (model/image-ref.ts), reported at
// the tag with the CLI's own message. Pure; needs no registry or project key.
import { ImageRefError, parseImageRef } from "../../model/image-ref.js";
import type { Diagnostic } from "../../diagnostic.js";
import { diagnostic, type RuleContext } from "./context.js";

const HINT =
  "`tag:` takes what the CLI's --tag takes: a lowercase image reference without a digest, e.g. web:1 or registry.meshagent.com/acme/web:1";

export function tagRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    try {
      parseImageRef(service.tag);
    } catch (error) {
      if (!(error instanceof ImageRefError)) throw error;
      out.push(diagnostic("tag", service.locations.tag, error.message, HINT));
    }
  }
  return out;
}
