// Pack a build context for the `containers.build` room call the way `meshagent build PATH` does:
// find the Dockerfile, walk once, then hash and stream the tar from that one entry list (so the
// hash describes exactly the bytes sent, and `size` is known before the first byte is read).
// Must not: talk to a room, parse Dockerfile metadata, or keep state between calls (the
// HashCache is the caller's).
import { hashContext, type HashCache } from "./context-hash.js";
import { walkContext, type ContextEntry } from "./context-files.js";
import { resolveContextRoot } from "./context-read.js";
import { findDockerfile, type DockerfileLocation } from "./dockerfile-find.js";
import { tarChunks, tarSize } from "./tar-writer.js";

export interface PackOptions {
  /** The Dockerfile, relative to the context; default `Containerfile`, then `Dockerfile`. */
  dockerfile?: string;
  /** Content hashes from earlier packs of this context (watch mode). */
  cache?: HashCache;
  /** Absolute directories never packed (meshdeploy's own state; see WalkOptions.exclude). */
  exclude?: readonly string[];
}

export interface PackedContext {
  /** The context directory, resolved. */
  root: string;
  entries: ContextEntry[];
  /** Exact tar length in bytes (the build call's `size`); worked out on first use (a plan never needs it). */
  readonly size: number;
  dockerfile: DockerfileLocation;
  /** The build call's `dockerfile_path`, e.g. "/context/Dockerfile". */
  dockerfilePath: string;
  /** `meshdeploy.context-hash`. */
  hash: string;
  /** Content sha256 by relative path (feed two of these to `changedFiles`). */
  files: Map<string, string>;
  /** The tar, in 1 MiB chunks; each call reads the files again. */
  chunks(): AsyncIterable<Buffer>;
}

export async function packContext(dir: string, options: PackOptions = {}): Promise<PackedContext> {
  const root = await resolveContextRoot(dir);
  const dockerfile = await findDockerfile(root, options.dockerfile);
  const { entries } = await walkContext(root, { dockerfile: dockerfile.relativePath, ...(options.exclude ? { exclude: options.exclude } : {}) });
  const { hash, files } = await hashContext(root, entries, options.cache === undefined ? {} : { cache: options.cache });
  let size: number | undefined;
  return {
    root,
    entries,
    get size() {
      size ??= tarSize(entries); // the pax mtime of every entry: 50 ms for 20k files
      return size;
    },
    dockerfile,
    dockerfilePath: dockerfile.mountedPath,
    hash,
    files,
    chunks: () => tarChunks(root, entries),
  };
}
