// Reading a small regular file a user named (a config with -f, a saved plan for apply) without
// being stuck on it: type and size are checked before a byte is read — a FIFO would block forever
// (and hold the process past Ctrl-C), a device such as /dev/zero never ends, a huge file would be
// read whole. Opened without blocking and checked again on the descriptor (the path may have been
// swapped), then read to at most the cap (a /proc file reports size 0 and still has content).
// Callers turn a refusal into their own typed error and hint; this module knows no command.
import { constants, type Stats } from "node:fs";
import { open, stat } from "node:fs/promises";

export type RefusalReason = "not-found" | "directory" | "special" | "too-large" | "unreadable";

/** Why `file` was not read; `message` is ready to print ("Expected a regular config file, got a FIFO …"). */
export class FileRefusedError extends Error {
  readonly reason: RefusalReason;
  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.name = "FileRefusedError";
    this.reason = reason;
  }
}

/** `what` names the file in messages: "config file", "plan file". */
export async function readRegularFile(file: string, options: { what: string; maxBytes: number }): Promise<Uint8Array> {
  const { what, maxBytes } = options;
  const cap = `${maxBytes / 1024 / 1024} MB`;
  let handle;
  try {
    refuseSpecial(await stat(file), file, options);
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    if (error instanceof FileRefusedError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new FileRefusedError("not-found", `${what} not found: ${file}`);
    if (code === "EISDIR") throw new FileRefusedError("directory", `Expected a ${what}, got a directory: ${file}`);
    throw new FileRefusedError("unreadable", `cannot read ${what} ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    refuseSpecial(await handle.stat(), file, options);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw new FileRefusedError("too-large", `Expected a ${what} of at most ${cap}, got more: ${file}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function refuseSpecial(st: Stats, file: string, { what, maxBytes }: { what: string; maxBytes: number }): void {
  if (st.isDirectory()) throw new FileRefusedError("directory", `Expected a ${what}, got a directory: ${file}`);
  if (!st.isFile()) {
    const kind = st.isFIFO() ? "a FIFO (named pipe)" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : st.isSocket() ? "a socket" : "not a regular file";
    throw new FileRefusedError("special", `Expected a regular ${what}, got ${kind}: ${file}`);
  }
  if (st.size > maxBytes) {
    throw new FileRefusedError("too-large", `Expected a ${what} of at most ${maxBytes / 1024 / 1024} MB, got ${(st.size / 1024 / 1024).toFixed(1)} MB: ${file}`);
  }
}
