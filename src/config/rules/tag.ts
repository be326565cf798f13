// The image tag parses exactly as the 0.39 CLI's `--tag` would (model/image-ref.ts), reported at
// the tag with the CLI's reason, worded for the YAML key the user wrote (`tag:`, not `--tag`), with
// a hint that names the likely slip. Pure; needs no registry or project key.
import { DEFAULT_PROJECT_REGISTRY, ImageRefError, parseImageRef } from "../../model/image-ref.js";
import type { Diagnostic } from "../../diagnostic.js";
import { diagnostic, type RuleContext } from "./context.js";

const HINT =
  "`tag:` takes what the CLI's --tag takes: a lowercase image reference without a digest, e.g. web:1 or registry.meshagent.com/acme/web:1";

/** The OCI distribution spec: clients limit registry + "/" + repository to 255 characters; a tag is 1–128. */
export const MAX_REPOSITORY_CHARS = 255;
export const MAX_TAG_CHARS = 128;

export function tagRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    try {
      const ref = parseImageRef(service.tag);
      // A shorthand lands under the project registry (and key, not known offline: counted as 0).
      const name = `${ref.registry ?? DEFAULT_PROJECT_REGISTRY}/${ref.repository}`;
      if (name.length > MAX_REPOSITORY_CHARS) {
        out.push(diagnostic("tag-length", service.locations.tag, `the image name ${ref.registry === null ? "(under the project registry) " : ""}is ${name.length} characters; registries accept at most ${MAX_REPOSITORY_CHARS} for registry/repository`, "shorten the repository path (the OCI distribution limit)"));
      } else if (ref.tag !== null && ref.tag.length > MAX_TAG_CHARS) {
        out.push(diagnostic("tag-length", service.locations.tag, `the image tag is ${ref.tag.length} characters; at most ${MAX_TAG_CHARS} are allowed`, "shorten the tag after the `:` (the OCI distribution limit)"));
      }
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
