// Reading bytes from inside a build context and nowhere else. Every file is opened with
// O_NOFOLLOW and checked against the inode the walk recorded (so a path swapped for a symlink
// between the walk and the read is refused, not followed); the two files the CLI reads by name
// (.dockerignore, the Dockerfile) are resolved and must stay under the context root.
// Must not: walk directories, hash or pack anything.
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { lstat, open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { BuildContextError } from "./build-error.js";

/** What a file entry must still be when it is read (from the walk's lstat). */
export interface FileIdentity {
  path: string;
  size: number;
  mtimeNs: bigint;
  ino: bigint;
  dev: bigint;
}

/**
 * Open a walked regular file for reading (a file descriptor; the caller closes it). Throws
 * "changed" if the path is now a symlink or no longer the inode, size and mtime that were walked.
 * Synchronous on purpose: on small files Node's async fs costs several times the read itself.
 */
export function openWalkedFile(root: string, file: FileIdentity): number {
  const abs = root.endsWith("/") ? root + file.path : `${root}/${file.path}`; // a walked path is already normal: no path.join per file
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw changed(abs, error);
  }
  try {
    const st = fstatSync(fd, { bigint: true });
    if (!st.isFile() || st.ino !== file.ino || st.dev !== file.dev || st.size !== BigInt(file.size) || st.mtimeNs !== file.mtimeNs) {
      throw changed(abs);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error instanceof BuildContextError ? error : changed(abs, error);
  }
}

/** Read exactly `length` bytes at `position` into `into` (from `offset`); "changed" if the file is shorter. */
export function readExactly(fd: number, into: Uint8Array, offset: number, length: number, position: number, root: string, file: FileIdentity): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, offset + done, length - done, position + done);
    if (n === 0) throw changed(path.join(root, file.path));
    done += n;
  }
}

function changed(abs: string, cause?: unknown): BuildContextError {
  return new BuildContextError("changed", `${abs} changed while the build context was being packed`, {
    path: abs,
    hint: "Run the command again once the file is no longer being written.",
    cause,
  });
}

/** The context directory, resolved; a BuildContextError when it is missing or not a directory. */
export async function resolveContextRoot(dir: string): Promise<string> {
  const root = await realpath(dir).catch(() => null);
  const isDir = root !== null && (await stat(root).then((s) => s.isDirectory(), () => false));
  if (root === null || !isDir) {
    throw new BuildContextError("not-a-directory", `the build context ${dir} is not a directory`, {
      path: dir,
      hint: "build: names the directory that holds the Dockerfile and the files it copies, relative to the config file",
    });
  }
  return root;
}

/** True when `candidate` (an absolute, resolved path) is `root` or below it. */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
}

/** The Dockerfile and .dockerignore are read whole; a cap keeps a mistaken file from eating memory. */
export const MAX_NAMED_FILE_BYTES = 1024 * 1024;

/**
 * Read a text file the CLI reads by name, following symlinks only while they stay inside the
 * context. Decoded as Python's `read_text(encoding="utf-8")` does: strict UTF-8, BOM kept.
 */
export async function readContextText(root: string, relPath: string): Promise<string> {
  const abs = path.join(root, relPath);
  const real = await realpath(abs);
  if (!isInside(root, real)) {
    throw new BuildContextError("outside-context", `${abs} resolves to ${real}, outside the build context ${root}`, {
      path: abs,
      hint: "Replace the symlink with the file itself.",
    });
  }
  const st = await lstat(real);
  const reason = relPath === ".dockerignore" ? "dockerignore" : "dockerfile";
  if (!st.isFile()) {
    throw new BuildContextError(reason, `${abs} is not a regular file`, { path: abs });
  }
  if (st.size > MAX_NAMED_FILE_BYTES) {
    throw new BuildContextError(reason, `${abs} is ${(st.size / 1024 / 1024).toFixed(1)} MB; expected at most 1 MB`, { path: abs, hint: "is this the right file? A Dockerfile or .dockerignore is a few KB." });
  }
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  let bytes: Buffer;
  try {
    bytes = await handle.readFile();
  } finally {
    await handle.close();
  }
  return decodeUtf8(bytes, abs);
}

/** Strict UTF-8 (Python's "utf-8" codec): invalid bytes are an error, a BOM is kept. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new BuildContextError("encoding", `${what} is not valid UTF-8`, { path: what, cause: error, hint: "is it the right file? It must be text saved as UTF-8" });
  }
}
