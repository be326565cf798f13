// What the plan warns about a service without refusing it: an image by a moving tag (`latest`,
// written or implied). Pure.
//
// Only without `build:`: a built service is tracked by its context's content (the plan rebuilds
// and restarts it when the context changes, whatever the tag), so `latest` there hides nothing.
// An image built elsewhere and pushed again under the same tag leaves the spec unchanged, so no
// plan ever shows it and the running service keeps the old image.
import { parseImageRef } from "../model/image-ref.js";
import type { ResolvedService } from "../model/wire.js";
import type { PlanWarning } from "./types.js";

export function tagWarnings(service: ResolvedService): PlanWarning[] {
  if (service.build !== null) return [];
  const tag = parseImageRef(service.image).tag;
  if (tag !== null && tag !== "latest") return [];
  const what = tag === null ? `\`tag: ${service.tag}\` names no tag, so it means \`latest\`` : `\`tag: ${service.tag}\` is the moving tag \`latest\``;
  return [
    {
      message: `${what}: a new image pushed under the same tag is never detected (the spec does not change), so the service keeps running the old one`,
      hint: "pin a version (e.g. `:1.4.2`) or the tag your CI pushes per commit (`:${GIT_SHORT_SHA}`); or build it here with `build:` (tracked by content, `:${CONTEXT_HASH}`)",
      location: service.locations.tag,
    },
  ];
}
