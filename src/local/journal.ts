// The local room's change journal (DIR/state.journal): one JSON line per change, appended and
// fdatasync'd, so a change costs O(change) on disk, not O(state). The first line names the
// journal's generation; it applies on top of the state.json of the same generation (state.ts
// `journal`). Compaction writes a new state.json (generation g+1) and then a fresh journal of
// g+1; a crash between the two leaves a journal of an older generation, which is ignored because
// its changes are already in the snapshot. A torn last line (a crash mid-append) is dropped; a
// failed append is truncated away before the next one, so a later append never follows garbage.
import { open, truncate, type FileHandle } from "node:fs/promises";
import { writeFileAtomic } from "./atomic-write.js";
import {
  parseAccount,
  parseAccountSecret,
  parseImage,
  parseRoomRecord,
  parseRoute,
  parseSecret,
  parseServiceRecord,
  StateFormatError,
  type AccountSecretRecord,
  type ImageRecord,
  type RoomRecord,
  type RouteRecord,
  type SecretRecord,
  type ServiceAccountRecord,
  type ServiceRecord,
} from "./state.js";

export const JOURNAL_FILE = "state.journal";
const JOURNAL_FORMAT = "meshdeploy-local-journal";

/** One change, as journalled. Replaying the changes in order onto the snapshot gives the state. */
export type JournalOp =
  | { op: "room"; room: RoomRecord }
  | { op: "service"; room: string; service: ServiceRecord }
  | { op: "-service"; room: string; id: string }
  | { op: "route"; route: RouteRecord }
  | { op: "-route"; domain: string }
  | { op: "secret"; secret: SecretRecord }
  | { op: "-secret"; room: string; for_identity: string | null; id: string }
  | { op: "image"; image: ImageRecord }
  | { op: "-image"; tag: string }
  | { op: "account"; account: ServiceAccountRecord }
  | { op: "-account"; id: string }
  | { op: "account_secret"; secret: AccountSecretRecord }
  | { op: "-account_secret"; account: string; id: string };

/** The file operations the journal and the store's snapshots use; tests inject failures (ENOSPC). */
export interface StorageIo {
  /** Appends `data` at the end of the open journal and makes it durable (fdatasync). */
  append(handle: FileHandle, data: string): Promise<void>;
  /** Replaces `target` crash-safely (atomic-write.ts). */
  replace(target: string, data: string): Promise<void>;
}

export const defaultIo: StorageIo = {
  async append(handle, data) {
    await handle.write(data);
    await handle.datasync();
  },
  replace: (target, data) => writeFileAtomic(target, data, 0o600),
};

export function journalHeader(generation: number): string {
  return `${JSON.stringify({ format: JOURNAL_FORMAT, generation })}\n`;
}

export interface ParsedJournal {
  generation: number;
  ops: JournalOp[];
  /** Bytes of the header and every whole, valid line: where the next append goes. */
  goodBytes: number;
  /** True when a torn last line was dropped. */
  torn: boolean;
}

/**
 * Parses a journal's text. A last line without its newline (or one that does not parse) is a torn
 * append and is dropped; any other bad line throws StateFormatError naming its line number.
 */
export function parseJournal(text: string): ParsedJournal {
  const lines = text.split("\n");
  const complete = lines.length - 1; // the part after the last "\n" is unfinished (or empty)
  const tail = lines[complete] ?? "";
  if (complete === 0) {
    if (tail === "") throw new StateFormatError("the journal is empty");
    return { generation: -1, ops: [], goodBytes: 0, torn: true };
  }
  const header = parseLine(lines[0]!, 1);
  if (header.format !== JOURNAL_FORMAT || typeof header.generation !== "number" || !Number.isInteger(header.generation)) {
    throw new StateFormatError(`line 1 is not a ${JOURNAL_FORMAT} header`);
  }
  const ops: JournalOp[] = [];
  let goodBytes = Buffer.byteLength(lines[0]!) + 1;
  let torn = tail !== "";
  for (let index = 1; index < complete; index += 1) {
    const line = lines[index]!;
    let op: JournalOp;
    try {
      op = parseOp(parseLine(line, index + 1), `line ${index + 1}`);
    } catch (error) {
      // Only the very last line can be torn (a crash mid-append writes nothing after it).
      if (index === complete - 1 && tail === "") {
        torn = true;
        break;
      }
      throw error;
    }
    ops.push(op);
    goodBytes += Buffer.byteLength(line) + 1;
  }
  return { generation: header.generation, ops, goodBytes, torn };
}

function parseLine(line: string, number: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new StateFormatError(`line ${number} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new StateFormatError(`line ${number} is not an object`);
  return value as Record<string, unknown>;
}

function parseOp(raw: Record<string, unknown>, at: string): JournalOp {
  const text = (key: string): string => {
    if (typeof raw[key] !== "string") throw new StateFormatError(`${at}: ${key} is not a string`);
    return raw[key] as string;
  };
  switch (raw.op) {
    case "room":
      return { op: "room", room: parseRoomRecord(raw.room, `${at}.room`) };
    case "service":
      return { op: "service", room: text("room"), service: parseServiceRecord(raw.service, `${at}.service`) };
    case "-service":
      return { op: "-service", room: text("room"), id: text("id") };
    case "route":
      return { op: "route", route: parseRoute(raw.route, `${at}.route`) };
    case "-route":
      return { op: "-route", domain: text("domain") };
    case "secret":
      return { op: "secret", secret: parseSecret(raw.secret, `${at}.secret`) };
    case "-secret":
      if (raw.for_identity !== null && typeof raw.for_identity !== "string") throw new StateFormatError(`${at}: for_identity is not a string or null`);
      return { op: "-secret", room: text("room"), for_identity: raw.for_identity as string | null, id: text("id") };
    case "image":
      return { op: "image", image: parseImage(raw.image, `${at}.image`) };
    case "-image":
      return { op: "-image", tag: text("tag") };
    case "account":
      return { op: "account", account: parseAccount(raw.account, `${at}.account`) };
    case "-account":
      return { op: "-account", id: text("id") };
    case "account_secret":
      return { op: "account_secret", secret: parseAccountSecret(raw.secret, `${at}.secret`) };
    case "-account_secret":
      return { op: "-account_secret", account: text("account"), id: text("id") };
    default:
      throw new StateFormatError(`${at}: unknown change ${JSON.stringify(raw.op)}`);
  }
}

/** The open journal: where appends go and how many bytes are known good. */
export class JournalFile {
  readonly path: string;
  readonly generation: number;
  readonly #io: StorageIo;
  readonly #handle: FileHandle;
  #bytes: number;
  /** An append failed part way: the file may end in garbage past #bytes. */
  #suspect = false;

  private constructor(path: string, generation: number, io: StorageIo, handle: FileHandle, bytes: number) {
    this.path = path;
    this.generation = generation;
    this.#io = io;
    this.#handle = handle;
    this.#bytes = bytes;
  }

  /** Creates (crash-safely replaces) the journal with just a header of `generation`. */
  static async create(path: string, generation: number, io: StorageIo): Promise<JournalFile> {
    const header = journalHeader(generation);
    await io.replace(path, header);
    return new JournalFile(path, generation, io, await open(path, "a", 0o600), Buffer.byteLength(header));
  }

  /** Opens an existing journal for appending, first cutting it to its `goodBytes` (a torn tail). */
  static async reopen(path: string, generation: number, goodBytes: number, io: StorageIo, torn: boolean): Promise<JournalFile> {
    if (torn) await truncate(path, goodBytes);
    return new JournalFile(path, generation, io, await open(path, "a", 0o600), goodBytes);
  }

  /** Bytes written (header included). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Appends the lines durably. On failure the file is cut back to what it held before (next time at the latest). */
  async append(lines: string): Promise<void> {
    if (this.#suspect) {
      await this.#handle.truncate(this.#bytes);
      await this.#handle.datasync();
      this.#suspect = false;
    }
    try {
      await this.#io.append(this.#handle, lines);
    } catch (error) {
      this.#suspect = true;
      await this.#handle.truncate(this.#bytes).then(
        () => (this.#suspect = false),
        () => undefined,
      );
      throw error;
    }
    this.#bytes += Buffer.byteLength(lines);
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}
