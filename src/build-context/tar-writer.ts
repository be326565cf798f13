// Stream the build context as the uncompressed tar `meshagent build PATH` uploads (cli@0.39.9
// oci_archive.py `_write_layer_tar`, CPython 3.13 tarfile, PAX format): one member per walked
// entry in walk order, data padded to 512 bytes, two zero blocks, then zeros up to a 10240-byte
// record. The size is computed from the entry list alone, so it can be sent before any byte is
// read. Chunks are exactly `chunkSize` (1 MiB, the CLI's) except the last.
// Must not: walk directories, apply ignore rules, or read anything but the walked files.
import { closeSync } from "node:fs";
import type { ContextEntry } from "./context-files.js";
import { openWalkedFile, readExactly } from "./context-read.js";
import { loopPauser } from "./event-loop.js";
import { pyStatFloatSeconds } from "./python-text.js";
import { BLOCK, RECORD, encodeHeader, headerLength, type TarMember } from "./tar-header.js";

export const CHUNK_SIZE = 1024 * 1024;

export function memberOf(entry: ContextEntry): TarMember {
  const type = entry.type === "file" ? "0" : entry.type === "hardlink" ? "1" : entry.type === "symlink" ? "2" : "5";
  return {
    name: entry.type === "dir" ? `${entry.path}/` : entry.path,
    mode: entry.mode,
    size: entry.type === "file" ? entry.size : 0,
    mtime: pyStatFloatSeconds(entry.mtimeNs),
    type,
    linkname: entry.linkTarget ?? "",
  };
}

function padded(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

/** The archive's exact byte length. */
export function tarSize(entries: readonly ContextEntry[]): number {
  let total = 0;
  for (const entry of entries) {
    const member = memberOf(entry);
    total += headerLength(member) + padded(member.size);
  }
  return toRecord(total + 2 * BLOCK);
}

/** Up to a whole 20-block record, as tarfile pads on close. */
function toRecord(n: number): number {
  return Math.ceil(n / RECORD) * RECORD;
}

/**
 * The archive bytes, read from `root` (the walk's resolved root) as they are consumed. Files are
 * read synchronously straight into the chunk being filled (see context-hash.ts for why).
 */
export async function* tarChunks(root: string, entries: readonly ContextEntry[], chunkSize = CHUNK_SIZE): AsyncGenerator<Buffer> {
  const expected = tarSize(entries);
  const pause = loopPauser();
  let chunk = Buffer.alloc(chunkSize);
  let used = 0;
  let written = 0;
  function* flush(): Generator<Buffer> {
    written += used;
    yield used === chunkSize ? chunk : chunk.subarray(0, used);
    chunk = Buffer.alloc(chunkSize); // zero-filled, so padding is only an advance
    used = 0;
  }
  function* put(bytes: Uint8Array): Generator<Buffer> {
    for (let from = 0; from < bytes.length; ) {
      const n = Math.min(bytes.length - from, chunkSize - used);
      chunk.set(bytes.subarray(from, from + n), used);
      used += n;
      from += n;
      if (used === chunkSize) yield* flush();
    }
  }
  function* skip(length: number): Generator<Buffer> {
    for (let left = length; left > 0; ) {
      const n = Math.min(left, chunkSize - used);
      used += n;
      left -= n;
      if (used === chunkSize) yield* flush();
    }
  }

  for (const entry of entries) {
    const member = memberOf(entry);
    yield* put(encodeHeader(member));
    if (member.size > 0) {
      const fd = openWalkedFile(root, entry);
      try {
        for (let position = 0; position < member.size; ) {
          const n = Math.min(member.size - position, chunkSize - used);
          readExactly(fd, chunk, used, n, position, root, entry);
          used += n;
          position += n;
          if (used === chunkSize) yield* flush();
        }
      } finally {
        closeSync(fd);
      }
      yield* skip(padded(member.size) - member.size);
    }
    const turn = pause();
    if (turn) await turn;
  }
  yield* skip(expected - written - used);
  if (used > 0) yield* flush();
  if (written !== expected) throw new Error(`tar writer produced ${written} bytes, expected ${expected}`);
}
