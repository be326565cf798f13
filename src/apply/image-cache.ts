// After a build: pin the service to the digest the room published (0.42.2+), and clean the room's
// image cache afterwards (0.41.1+), as `meshagent deploy` does (platform-0.50.md E1, E2). Neither
// fails a deploy: a digest that cannot be read leaves the tag (with a warning); a clean-up that
// fails is a warning; "not found" is ignored. Each clean-up call is bounded (30 s).
import { hasFeature } from "../model/platform.js";
import { pinnedRef, type Pin } from "../model/image-pin.js";
import type { RoomApi } from "../platform/room-api.js";
import type { Target } from "../platform/target.js";

export const CLEANUP_TIMEOUT_MS = 30_000;

/** The digest published for `tag` by build `buildId` (its entry for that tag, else its first); null before 0.42.2 or when none. */
export async function publishedPin(target: Target, room: RoomApi, buildId: string, tag: string): Promise<Pin | null> {
  if (!hasFeature(await target.platform(), "publishedDigests")) return null;
  const build = (await room.listBuilds()).find((b) => b.id === buildId);
  const images = build?.publishedImages ?? [];
  const image = images.find((i) => i.tag === tag) ?? images[0];
  return image?.digest ? { tag, digest: image.digest } : null;
}

/**
 * Removes the built tag and the image it replaced (when that was an image of the same repository)
 * from the room's cache; returns a warning per failure. Not before 0.41.1 (no delete_image).
 */
export async function cleanImageCache(target: Target, room: RoomApi, built: string, replaced: string | null): Promise<string[]> {
  if (!hasFeature(await target.platform(), "imageCacheCleanup")) return [];
  const repository = pinnedRef(built, "").slice(0, -1);
  const refs = [built, ...(replaced !== null && replaced !== built && sameRepository(replaced, repository) ? [replaced] : [])];
  const warnings: string[] = [];
  for (const ref of refs) {
    try {
      await room.deleteImage(ref, CLEANUP_TIMEOUT_MS);
    } catch (error) {
      warnings.push(`room ${room.room}: could not remove ${ref} from the image cache (${error instanceof Error ? error.message : String(error)}); it only takes space`);
    }
  }
  return warnings;
}

function sameRepository(ref: string, repository: string): boolean {
  return ref.startsWith(`${repository}@`) || ref.startsWith(`${repository}:`);
}
