// The image tag parses exactly as the 0.39 CLI's `--tag` would (model/image-ref.ts), reported at
// the tag with the CLI's reason, worded for the YAML key the user wrote (`tag:`, not `--tag`), with
// a hint that names the likely slip. Pure; needs no registry or project key.
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
      out.push(diagnostic("tag", service.locations.tag, forTheKey(error.message), hintFor(service.tag)));
    }
  }
  return out;
}


/** The CLI's message names its flag; in a config the key is `tag:`. */
function forTheKey(message: string): string {
  return message.replace(/^--tag /, "`tag:` ").replace(/^invalid OCI image repository: /, "invalid repository name in `tag:` ");
}

/** A second `:` (e.g. `api:1.0:extra`) reads as a registry port: say so. */
function hintFor(tag: string): string {
  const lastSlash = tag.lastIndexOf("/");
  const colons = (tag.slice(lastSlash + 1).match(/:/g) ?? []).length;
  if (colons > 1) return `a reference has one \`:\`, between the repository and the tag (e.g. web:1.0); ${HINT}`;
  return HINT;
}
