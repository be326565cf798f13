// Reads an uncompressed POSIX tar (ustar, with pax `x`/`g` records and GNU `L`/`K` long names)
// into entries. Pure, in memory: entry data are views into the given buffer, never copies.
// Refuses what a build context must not contain: absolute paths and `..` components.

export type TarEntryType = "file" | "directory" | "symlink" | "hardlink" | "other";

export interface TarEntry {
  /** Normalised relative path: no leading "./" or "/", no trailing "/". */
  path: string;
  type: TarEntryType;
  size: number;
  linkTarget: string;
  data: Buffer;
}

export class TarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TarError";
  }
}

const BLOCK = 512;

export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | null = null;
  let longLink: string | null = null;
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end-of-archive marker
    verifyChecksum(header, offset);
    const typeflag = String.fromCharCode(header[156] ?? 0);
    const isMeta = typeflag === "x" || typeflag === "g" || typeflag === "L" || typeflag === "K";
    const size = !isMeta && pax.size !== undefined ? paxSize(pax.size, offset) : readNumber(header, 124, 12, offset);
    const dataStart = offset + BLOCK;
    if (dataStart + size > archive.length) throw new TarError(`entry at byte ${offset} needs ${size} bytes but the archive ends first`);
    const data = archive.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (typeflag === "x") {
      pax = parsePax(data, offset);
      continue;
    }
    if (typeflag === "g") {
      globalPax = { ...globalPax, ...parsePax(data, offset) };
      continue;
    }
    if (typeflag === "L" || typeflag === "K") {
      const text = cString(data);
      if (typeflag === "L") longName = text;
      else longLink = text;
      continue;
    }
    const fields = { ...globalPax, ...pax };
    const prefix = isUstar(header) ? cString(header.subarray(345, 500)) : "";
    const rawName = fields.path ?? longName ?? (prefix === "" ? cString(header.subarray(0, 100)) : `${prefix}/${cString(header.subarray(0, 100))}`);
    const linkTarget = fields.linkpath ?? longLink ?? cString(header.subarray(157, 257));
    pax = {};
    longName = null;
    longLink = null;
    const type = entryType(typeflag, rawName);
    const path = normaliseEntryPath(rawName);
    if (path === "") continue; // the archive root itself ("./")
    entries.push({ path, type, size: type === "file" ? size : 0, linkTarget, data: type === "file" ? data : data.subarray(0, 0) });
  }
  return entries;
}

/** Strips "./" and trailing "/"; throws for absolute paths and any ".." component. */
export function normaliseEntryPath(raw: string): string {
  if (raw.startsWith("/")) throw new TarError(`entry "${raw}" has an absolute path`);
  const parts = raw.split("/").filter((part) => part !== "" && part !== ".");
  if (parts.includes("..")) throw new TarError(`entry "${raw}" points outside the archive ("..")`);
  return parts.join("/");
}

function entryType(flag: string, name: string): TarEntryType {
  switch (flag) {
    case "0":
    case "\0":
    case "7":
      return name.endsWith("/") ? "directory" : "file";
    case "5":
      return "directory";
    case "2":
      return "symlink";
    case "1":
      return "hardlink";
    default:
      return "other";
  }
}

function isUstar(header: Buffer): boolean {
  return header.subarray(257, 262).toString("latin1") === "ustar";
}

function verifyChecksum(header: Buffer, offset: number): void {
  const stored = readNumber(header, 148, 8, offset);
  let sum = 0;
  for (let index = 0; index < BLOCK; index += 1) sum += index >= 148 && index < 156 ? 32 : header[index] ?? 0;
  if (sum !== stored) throw new TarError(`header at byte ${offset} has a bad checksum: not a tar archive, or a damaged one`);
}

/** Octal text (NUL/space terminated), or GNU base-256 when the first byte has its high bit set. */
function readNumber(header: Buffer, start: number, length: number, offset: number): number {
  const field = header.subarray(start, start + length);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = (field[0] ?? 0) & 0x7f;
    for (let index = 1; index < field.length; index += 1) value = value * 256 + (field[index] ?? 0);
    return value;
  }
  const text = field.toString("latin1").replace(/[\0 ]+$/g, "").trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(`header at byte ${offset} has a malformed number field: not a tar archive`);
  return parseInt(text, 8);
}

function paxSize(value: string, offset: number): number {
  const size = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(size)) throw new TarError(`pax size "${value}" before byte ${offset} is not a size`);
  return size;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString("utf8");
}

/** Pax records: "<length> <key>=<value>\n", the length counting the whole record. */
function parsePax(data: Buffer, offset: number): Record<string, string> {
  const fields: Record<string, string> = {};
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    const length = space === -1 ? Number.NaN : Number(data.subarray(position, space).toString("latin1"));
    if (!Number.isInteger(length) || length <= 0 || position + length > data.length) {
      throw new TarError(`malformed pax header before byte ${offset}`);
    }
    const record = data.subarray(space + 1, position + length - 1).toString("utf8");
    const equals = record.indexOf("=");
    if (equals > 0) fields[record.slice(0, equals)] = record.slice(equals + 1);
    position += length;
  }
  return fields;
}
