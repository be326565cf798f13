// Tar member headers byte-for-byte as CPython 3.13's tarfile writes them in its default PAX
// format, after the MeshAgent 0.39.9 CLI's `_normalize_tar_info` (uid/gid 0, empty uname/gname,
// no inherited pax headers). The st_mtime float never fits a ustar field exactly, so every member
// gets a pax "x" header carrying `mtime` (plus `path`/`linkpath` when a name is longer than 100
// characters or not ASCII, `size` from 8 GiB); the ustar block keeps round(mtime), a name cut to
// 100 bytes with non-ASCII characters as "?", and an empty prefix. Pure: no I/O.
import { pyFloatRepr, pyRound } from "./python-text.js";

export const BLOCK = 512;
export const RECORD = BLOCK * 20;

/** The tar typeflags the context can contain. */
export type TarType = "0" | "1" | "2" | "5"; // regular, hard link, symlink, directory

export interface TarMember {
  /** Member name; directories end with "/" (tarfile's `get_info` adds it). */
  name: string;
  mode: number;
  size: number;
  /** `st_mtime` as Python sees it (a float). */
  mtime: number;
  type: TarType;
  linkname: string;
}

const OCTAL_LIMIT_12 = 8 ** 11;
const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** The pax records (insertion order as tarfile builds them) and the ustar numbers to write. */
function plan(m: TarMember): { records: [string, string][]; size: number; mtime: number } {
  const records: [string, string][] = [];
  if (!ASCII_ONLY.test(m.name) || m.name.length > 100) records.push(["path", m.name]);
  if (!ASCII_ONLY.test(m.linkname) || m.linkname.length > 100) records.push(["linkpath", m.linkname]);
  let size = m.size;
  if (!(size >= 0 && size < OCTAL_LIMIT_12)) {
    records.push(["size", String(size)]);
    size = 0;
  }
  let mtime = pyRound(m.mtime);
  if (!(mtime >= 0 && mtime < OCTAL_LIMIT_12)) mtime = 0;
  records.push(["mtime", pyFloatRepr(m.mtime)]); // a float always goes to pax
  return { records, size, mtime };
}

/** `_create_pax_generic_header`'s record text: "<len> <key>=<value>\n", len counting itself. */
function paxRecords(records: readonly [string, string][]): Buffer {
  const parts = records.map(([key, value]) => {
    const l = Buffer.byteLength(key) + Buffer.byteLength(value) + 3;
    let p = 0;
    for (;;) {
      const n = l + String(p).length;
      if (n === p) break;
      p = n;
    }
    return Buffer.from(`${p} ${key}=${value}\n`, "utf8");
  });
  return Buffer.concat(parts);
}

function padded(length: number): number {
  return Math.ceil(length / BLOCK) * BLOCK;
}

/** Bytes the member's headers take (pax header + records + ustar block), without its data. */
export function headerLength(m: TarMember): number {
  const { records } = plan(m);
  if (records.length === 0) return BLOCK;
  return BLOCK + padded(paxRecords(records).length) + BLOCK;
}

/** The member's header bytes: the pax extended header (if any) followed by the ustar block. */
export function encodeHeader(m: TarMember): Buffer {
  const { records, size, mtime } = plan(m);
  const ustar = ustarBlock({ name: m.name, mode: m.mode & 0o7777, size, mtime, type: m.type, linkname: m.linkname });
  if (records.length === 0) return ustar;
  const body = paxRecords(records);
  const pax = ustarBlock({ name: "././@PaxHeader", mode: 0, size: body.length, mtime: 0, type: "x", linkname: "" });
  const out = Buffer.alloc(BLOCK + padded(body.length) + BLOCK);
  pax.copy(out, 0);
  body.copy(out, BLOCK);
  ustar.copy(out, out.length - BLOCK);
  return out;
}

interface UstarFields {
  name: string;
  mode: number;
  size: number;
  mtime: number;
  type: TarType | "x";
  linkname: string;
}

/** `_create_header(info, USTAR_FORMAT, "ascii", "replace")`. */
function ustarBlock(f: UstarFields): Buffer {
  const b = Buffer.alloc(BLOCK);
  putString(b, 0, 100, f.name);
  putOctal(b, 100, 8, f.mode);
  putOctal(b, 108, 8, 0); // uid
  putOctal(b, 116, 8, 0); // gid
  putOctal(b, 124, 12, f.size);
  putOctal(b, 136, 12, f.mtime);
  b.write("        ", 148, "latin1"); // checksum placeholder
  b.write(f.type, 156, "latin1");
  putString(b, 157, 100, f.linkname);
  b.write("ustar\u000000", 257, "latin1"); // POSIX magic + version "00"
  // uname, gname: empty; devmajor/devminor: NUL-filled for non-device members; prefix: empty.
  let sum = 0;
  for (const byte of b) sum += byte;
  b.write(`${sum.toString(8).padStart(6, "0")}\u0000`, 148, "latin1"); // byte 155 stays " "
  return b;
}

/** `stn(s, length, "ascii", "replace")`: one "?" per non-ASCII character, cut to `length`. */
function putString(b: Buffer, offset: number, length: number, s: string): void {
  let ascii = "";
  for (const ch of s) ascii += ch.length === 1 && ch.charCodeAt(0) < 0x80 ? ch : "?";
  b.write(ascii.slice(0, length), offset, "latin1");
}

/** `itn(n, digits)` for values that fit: zero-padded octal, NUL-terminated. */
function putOctal(b: Buffer, offset: number, digits: number, n: number): void {
  b.write(`${Math.trunc(n).toString(8).padStart(digits - 1, "0")}\u0000`, offset, "latin1");
}
