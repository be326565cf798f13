// Test helper: a tiny POSIX ustar writer, so build tests send real tar archives (paths over 100
// bytes go into a pax `x` record, which exercises the reader's pax support).

export interface TarInput {
  path: string;
  /** File content; absent for a directory. */
  content?: string | Buffer;
  type?: "file" | "directory" | "symlink";
  linkTarget?: string;
}

const BLOCK = 512;

export function writeTar(entries: readonly TarInput[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? (entry.content === undefined ? "directory" : "file");
    const data = type === "file" ? Buffer.from(entry.content ?? "") : Buffer.alloc(0);
    const name = type === "directory" && !entry.path.endsWith("/") ? `${entry.path}/` : entry.path;
    if (Buffer.byteLength(name) > 100) {
      const record = paxRecord("path", name);
      blocks.push(header("PaxHeader", record.length, "x", ""), pad(record));
    }
    const flag = type === "file" ? "0" : type === "directory" ? "5" : "2";
    blocks.push(header(name.slice(0, 100), data.length, flag, entry.linkTarget ?? ""), pad(data));
  }
  blocks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(blocks);
}

function header(name: string, size: number, typeflag: string, linkTarget: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write("0000644\0", 100, "latin1");
  block.write("0000000\0", 108, "latin1");
  block.write("0000000\0", 116, "latin1");
  block.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "latin1");
  block.write(`${"0".padStart(11, "0")}\0`, 136, "latin1");
  block.write("        ", 148, "latin1");
  block.write(typeflag, 156, "latin1");
  block.write(linkTarget, 157, 100, "utf8");
  block.write("ustar\0", 257, "latin1");
  block.write("00", 263, "latin1");
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return block;
}

function paxRecord(key: string, value: string): Buffer {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return Buffer.from(`${length}${body}`);
}

function pad(data: Buffer): Buffer {
  const remainder = data.length % BLOCK;
  return remainder === 0 ? data : Buffer.concat([data, Buffer.alloc(BLOCK - remainder)]);
}
