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

/** A second `:` (e.g. `api:1.0:extra`) reads as a registry port; a `/` after the tag's `:` (a branch name) makes the whole reference a repository: say so. */
function hintFor(tag: string): string {
  const lastSlash = tag.lastIndexOf("/");
  const colons = (tag.slice(lastSlash + 1).match(/:/g) ?? []).length;
  if (colons > 1) return `a reference has one \`:\`, between the repository and the tag (e.g. web:1.0); ${HINT}`;
  const slashed = slashedTag(tag);
  if (slashed !== null) return `the tag \`${slashed}\` contains \`/\`, which a tag cannot hold (letters, digits, \`_\`, \`.\`, \`-\`), so the whole reference was read as a repository name; for a branch name use \`\${GIT_BRANCH_SLUG}\` instead of \`\${GIT_BRANCH}\``;
  return HINT;
}

/** The tag part of `repo:feature/x` (or of `web:feature/x`, where `web:feature` reads as a host and port), else null. */
function slashedTag(tag: string): string | null {
  const firstSlash = tag.indexOf("/");
  if (firstSlash < 0) return null;
  const head = tag.slice(0, firstSlash);
  const headColon = head.indexOf(":");
  // `localhost:5000/web` is a registry port; a port is digits.
  if (headColon >= 0 && !/^\d+$/.test(head.slice(headColon + 1))) return tag.slice(headColon + 1);
  const rest = tag.slice(firstSlash + 1);
  const colon = rest.indexOf(":");
  return colon >= 0 && rest.includes("/", colon) ? rest.slice(colon + 1) : null;
}
