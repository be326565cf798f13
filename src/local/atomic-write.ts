// Crash-safe file replacement: write a temp file in the target's directory, fsync it, rename it
// over the target, then fsync the directory so the rename itself is durable. A crash at any
// point leaves either the old file or the new one, plus at most a stray temp file that
// `isTempFileOf` recognises so the owner can clean it up.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

const TEMP_SUFFIX = ".tmp";

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
}

/** True when `fileName` (a bare name) is a temp file left by a write to `targetName`. */
export function isTempFileOf(fileName: string, targetName: string): boolean {
  return fileName.startsWith(`.${targetName}.`) && fileName.endsWith(TEMP_SUFFIX);
}

/** Some platforms (Windows) cannot open or fsync a directory; durability there is best effort. */
function isUnsupportedDirSync(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === "EISDIR" || code === "EPERM" || code === "EINVAL" || code === "EACCES";
}

export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const temp = tempPathFor(target);
  const file = await open(temp, "wx", mode);
  try {
    try {
      await file.writeFile(data, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dirname(target));
}

async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch (error) {
    if (!isUnsupportedDirSync(error)) throw error;
  } finally {
    await handle?.close();
  }
}

export function writeFileAtomicSync(target: string, data: string, mode = 0o600): void {
  const temp = tempPathFor(target);
  const fd = openSync(temp, "wx", mode);
  try {
    try {
      writeFileSync(fd, data, "utf8");
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncDirectorySync(dirname(target));
}

function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch (error) {
    if (!isUnsupportedDirSync(error)) throw error;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
