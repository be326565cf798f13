// Digest pinning, as `meshagent deploy` 0.42.2+ does after a build (platform-0.50.md E1): the
// service runs `repository@sha256:…` instead of the tag. meshdeploy records the declared tag and
// the digest (`meshdeploy.image-tag`, `meshdeploy.image-digest`), so a pinned live image reads as
// its tag when planning (neither drift nor a reason to rebuild) and an update that does not
// rebuild keeps the pin. Image mounts of the built tag are pinned the same way. Pure.
import { IMAGE_DIGEST, IMAGE_TAG } from "./annotations.js";

export interface Pin {
  tag: string;
  digest: string;
}

/** `registry/acme/web:1` + `sha256:ab…` → `registry/acme/web@sha256:ab…` (a registry port is not a tag). */
export function pinnedRef(tag: string, digest: string): string {
  const bare = tag.split("@")[0] ?? tag;
  const slash = bare.lastIndexOf("/");
  const colon = bare.lastIndexOf(":");
  return `${colon > slash ? bare.slice(0, colon) : bare}@${digest}`;
}

type Spec = { metadata?: { annotations?: Record<string, string> | null } | null; container?: { image?: unknown; storage?: { images?: unknown } | null } | null };

/** The pin a live spec records, when its image really is that pin. */
export function pinOf(spec: Spec): Pin | null {
  const annotations = spec.metadata?.annotations ?? {};
  const tag = annotations[IMAGE_TAG];
  const digest = annotations[IMAGE_DIGEST];
  if (tag === undefined || digest === undefined || spec.container?.image !== pinnedRef(tag, digest)) return null;
  return { tag, digest };
}

/** A copy of `spec` with the pinned image (and image mounts) read as the tag, and the two annotations dropped. */
export function unpinned<T extends Spec>(spec: T): T {
  const pin = pinOf(spec);
  if (pin === null) return spec;
  const copy = structuredClone(spec);
  const annotations = { ...(copy.metadata?.annotations ?? {}) };
  delete annotations[IMAGE_TAG];
  delete annotations[IMAGE_DIGEST];
  copy.metadata = { ...copy.metadata, annotations };
  rewrite(copy, pinnedRef(pin.tag, pin.digest), pin.tag);
  return copy;
}

/** A copy of a request body running `pin` instead of its tag, with the pin recorded. */
export function pinned(body: Record<string, unknown>, pin: Pin): Record<string, unknown> {
  const copy = structuredClone(body) as Spec & Record<string, unknown>;
  rewrite(copy, pin.tag, pinnedRef(pin.tag, pin.digest));
  copy.metadata = { ...copy.metadata, annotations: { ...(copy.metadata?.annotations ?? {}), [IMAGE_TAG]: pin.tag, [IMAGE_DIGEST]: pin.digest } };
  return copy;
}

function rewrite(spec: Spec, from: string, to: string): void {
  if (spec.container == null) return;
  if (spec.container.image === from) spec.container.image = to;
  const images = spec.container.storage?.images;
  if (Array.isArray(images)) for (const mount of images) if (typeof mount === "object" && mount !== null && (mount as { image?: unknown }).image === from) (mount as { image: string }).image = to;
}
