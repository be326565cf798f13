// The local room's state: rooms, their services and secrets, routes and recorded images, held
// in memory and persisted to DIR/state.json (a snapshot) plus DIR/state.journal (the changes
// since, journal.ts). Reads are synchronous. Each mutation applies in memory at once and returns
// a promise that resolves only when a write containing it is durable (group commit batches the
// mutations that arrive while a write is in flight). A write appends the batch's changes to the
// journal (O(change), one fdatasync); when the journal outgrows the snapshot it is compacted into
// a new snapshot instead. A write that fails rolls every change not yet durable back out of
// memory and rejects it with StoreWriteError, so what the room answers is always what is on disk.
// Knows nothing about HTTP or validation.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { MeshdeployError } from "../errors.js";
import { storeWriteError } from "./errors.js";
import { isTempFileOf } from "./atomic-write.js";
import { GroupCommit } from "./group-commit.js";
import { defaultIo, JOURNAL_FILE, JournalFile, parseJournal, type JournalOp, type StorageIo } from "./journal.js";
import { DEFAULT_PLATFORM, type PlatformVersion } from "./platform.js";
import { upgradeState } from "./platform-upgrade.js";
import { newRoomEntry, removeService, restoreService, setService, type RoomEntry } from "./room-entry.js";
import { deleteKey, indexOf, setKey } from "./undoable-map.js";
import {
  parseState,
  serializeState,
  type AccountSecretRecord,
  type ImageRecord,
  type RoomRecord,
  type RouteRecord,
  type SecretRecord,
  type ServiceAccountRecord,
  type ServiceRecord,
  type StateData,
} from "./state.js";

export const STATE_FILE = "state.json";
export { JOURNAL_FILE } from "./journal.js";
export { StoreWriteError } from "./errors.js";

/** The journal is compacted once it is larger than the snapshot and this. */
const MIN_COMPACT_BYTES = 4 * 1024 * 1024;

export interface StoreOptions {
  now?: () => Date;
  platform?: PlatformVersion;
  /** The file operations (tests inject write failures). */
  io?: StorageIo;
}

export class LocalStore {
  readonly file: string;
  readonly journalFile: string;
  readonly createdAt: string;
  /** The platform generation the state is written for (SPEC.md "Platform generations"). */
  readonly platform: PlatformVersion;
  readonly #rooms = new Map<string, RoomEntry>();
  readonly #routes = new Map<string, RouteRecord>();
  readonly #secrets = new Map<string, SecretRecord>();
  readonly #images = new Map<string, ImageRecord>();
  readonly #accounts = new Map<string, ServiceAccountRecord>();
  readonly #accountSecrets = new Map<string, AccountSecretRecord>();
  readonly #commits: GroupCommit;
  readonly #io: StorageIo;
  /** Each stored service's JSON, computed once: records are never mutated after they are stored. */
  readonly #serviceJson = new WeakMap<ServiceRecord, string>();
  /** Changes applied in memory that no started write contains yet, oldest first. */
  #pending: { op: JournalOp; undo: () => void }[] = [];
  #generation: number;
  #journal: JournalFile | null = null;
  /** The next write must be a snapshot (no usable journal, or the state was upgraded). */
  #needSnapshot = false;
  /** A journal file of this or an older generation may be on disk. */
  #journalOnDisk = false;
  #snapshotBytes = 0;

  private constructor(file: string, data: StateData, io: StorageIo) {
    this.file = file;
    this.journalFile = join(file, "..", JOURNAL_FILE);
    this.createdAt = data.createdAt;
    this.platform = data.platform ?? "0.39.9";
    this.#io = io;
    this.#generation = data.journal ?? 0;
    for (const { room, services } of data.rooms) {
      const entry = newRoomEntry(room);
      this.#rooms.set(room.name, entry);
      for (const service of services) setService(entry, service);
    }
    for (const route of data.routes) this.#routes.set(route.domain, route);
    for (const secret of data.secrets) this.#secrets.set(secretKey(secret.room, secret.for_identity, secret.id), secret);
    for (const image of data.images) this.#images.set(image.tag, image);
    for (const account of data.serviceAccounts ?? []) this.#accounts.set(account.id, account);
    for (const secret of data.accountSecrets ?? []) this.#accountSecrets.set(accountSecretKey(secret.service_account_id, secret.id), secret);
    this.#commits = new GroupCommit(() => this.#write());
  }

  /**
   * Loads DIR/state.json and DIR/state.journal (both absent: a new, empty state) after removing
   * temp files left by an interrupted write. Throws E_LOCAL_ROOM naming the file when it cannot be
   * read or parsed, or when it was written for a newer platform than the one asked for. State
   * written for an older one is upgraded (platform-upgrade.ts) and made durable before open
   * resolves. Without `options.platform`, a new state speaks DEFAULT_PLATFORM and an existing one
   * keeps the generation it was written for: an upgrade happens only when one is asked for
   * (conservative: no silent migration of a user's services when the default moves).
   */
  static async open(dataDir: string, options: StoreOptions = {}): Promise<LocalStore> {
    await removeStaleTempFiles(dataDir);
    const { store, journal } = await LocalStore.#load(dataDir, options.now ?? (() => new Date()), options.platform ?? DEFAULT_PLATFORM, options.io ?? defaultIo);
    const platform = options.platform ?? store.platform;
    const upgrade = upgradeState(store.#snapshot(), platform);
    if (upgrade.type === "refused") {
      throw new MeshdeployError("E_LOCAL_ROOM", `local room state file ${store.file} cannot be opened as MeshAgent ${platform}: ${upgrade.reason}`, {
        hint: `start the local room with platform ${store.platform}, or use another data directory`,
      });
    }
    if (upgrade.type === "same") {
      if (journal !== null) {
        store.#journal = await JournalFile.reopen(store.journalFile, journal.generation, journal.goodBytes, store.#io, journal.torn).catch((error: unknown) => {
          throw stateError(store.journalFile, `cannot be opened: ${(error as Error).message}`, error);
        });
      }
      return store;
    }
    const upgraded = new LocalStore(store.file, upgrade.data, store.#io);
    upgraded.#journalOnDisk = store.#journalOnDisk;
    upgraded.#needSnapshot = true;
    await upgraded.#commit();
    return upgraded;
  }

  /** The persisted state of DIR (snapshot plus journal), read without changing anything: for tests and tools. */
  static async read(dataDir: string): Promise<StateData> {
    const { store } = await LocalStore.#load(dataDir, () => new Date(0), DEFAULT_PLATFORM, defaultIo);
    return store.#snapshot();
  }

  /** Number of state writes (journal appends or snapshots) so far. */
  get writes(): number {
    return this.#commits.writes;
  }

  getRoom(name: string): RoomRecord | undefined {
    return this.#rooms.get(name)?.room;
  }

  listRooms(): RoomRecord[] {
    return [...this.#rooms.values()].map((entry) => entry.room);
  }

  /** The room's services in creation order, or undefined when the room does not exist. */
  listServices(room: string): ServiceRecord[] | undefined {
    const entry = this.#rooms.get(room);
    return entry === undefined ? undefined : [...entry.services.values()];
  }

  /** The JSON array of the room's services in creation order, built from each record's stored JSON. */
  listServicesJson(room: string): string | undefined {
    const entry = this.#rooms.get(room);
    if (entry === undefined) return undefined;
    const parts: string[] = [];
    for (const service of entry.services.values()) parts.push(this.#jsonOf(service));
    return `[${parts.join(",")}]`;
  }

  /** The id of a service of the room named `name` other than `exceptId`, if any (indexed). */
  serviceNamed(room: string, name: string, exceptId: string): string | undefined {
    const ids = this.#rooms.get(room)?.names.get(name);
    if (ids === undefined) return undefined;
    for (const id of ids) if (id !== exceptId) return id;
    return undefined;
  }

  getService(room: string, id: string): ServiceRecord | undefined {
    return this.#rooms.get(room)?.services.get(id);
  }

  getRoute(domain: string): RouteRecord | undefined {
    return this.#routes.get(domain);
  }

  listRoutes(): RouteRecord[] {
    return [...this.#routes.values()];
  }

  addRoom(room: RoomRecord): Promise<void> {
    if (this.#rooms.has(room.name)) throw new Error(`room ${room.name} already exists`);
    return this.#change({ op: "room", room });
  }

  /** Inserts a service or replaces one with the same id, keeping its position. */
  putService(room: string, service: ServiceRecord): Promise<void> {
    this.#entry(room);
    return this.#change({ op: "service", room, service });
  }

  deleteService(room: string, id: string): Promise<void> {
    this.#entry(room);
    return this.#change({ op: "-service", room, id });
  }

  /** Inserts a route or replaces the one with the same domain, keeping its position. */
  putRoute(route: RouteRecord): Promise<void> {
    return this.#change({ op: "route", route });
  }

  deleteRoute(domain: string): Promise<void> {
    return this.#change({ op: "-route", domain });
  }

  /** A room's secrets in creation order, of one identity (null = the caller's own). */
  listSecrets(room: string, forIdentity: string | null): SecretRecord[] {
    return [...this.#secrets.values()].filter((secret) => secret.room === room && secret.for_identity === forIdentity);
  }

  getSecret(room: string, forIdentity: string | null, id: string): SecretRecord | undefined {
    return this.#secrets.get(secretKey(room, forIdentity, id));
  }

  /** Inserts a secret or replaces the one with the same room, identity and id. */
  putSecret(secret: SecretRecord): Promise<void> {
    return this.#change({ op: "secret", secret });
  }

  deleteSecret(room: string, forIdentity: string | null, id: string): Promise<void> {
    return this.#change({ op: "-secret", room, for_identity: forIdentity, id });
  }

  getImage(tag: string): ImageRecord | undefined {
    return this.#images.get(tag);
  }

  listImages(): ImageRecord[] {
    return [...this.#images.values()];
  }

  /** Records the tag's current image, replacing an older one. */
  putImage(image: ImageRecord): Promise<void> {
    return this.#change({ op: "image", image });
  }

  /** Removes the tag's recorded image (the room's image cache, `containers.delete_image`). */
  deleteImage(tag: string): Promise<void> {
    return this.#change({ op: "-image", tag });
  }

  listAccounts(): ServiceAccountRecord[] {
    return [...this.#accounts.values()];
  }

  getAccount(id: string): ServiceAccountRecord | undefined {
    return this.#accounts.get(id);
  }

  putAccount(account: ServiceAccountRecord): Promise<void> {
    return this.#change({ op: "account", account });
  }

  /** Removes the service account and its secrets. */
  deleteAccount(id: string): Promise<void> {
    return this.#change({ op: "-account", id });
  }

  /** A service account's secrets in creation order. */
  listAccountSecrets(accountId: string): AccountSecretRecord[] {
    return [...this.#accountSecrets.values()].filter((secret) => secret.service_account_id === accountId);
  }

  getAccountSecret(accountId: string, id: string): AccountSecretRecord | undefined {
    return this.#accountSecrets.get(accountSecretKey(accountId, id));
  }

  /** Inserts a secret or replaces the one with the same account and id (records are replaced, never mutated). */
  putAccountSecret(secret: AccountSecretRecord): Promise<void> {
    return this.#change({ op: "account_secret", secret });
  }

  deleteAccountSecret(accountId: string, id: string): Promise<void> {
    return this.#change({ op: "-account_secret", account: accountId, id });
  }

  /**
   * Waits for in-flight writes, then folds the journal into state.json and removes it, so a clean
   * stop leaves one file. If that fails the journal stays: it is valid and is read on the next open.
   */
  async close(): Promise<void> {
    await this.#commits.idle();
    const journal = this.#journal;
    if (journal === null && !this.#journalOnDisk && !this.#needSnapshot) return;
    const generation = this.#generation + 1;
    try {
      const text = serializeState({ ...this.#snapshot(), journal: generation }, (service) => this.#jsonOf(service));
      await this.#io.replace(this.file, text);
      this.#generation = generation;
      this.#journal = null;
      this.#needSnapshot = false;
      await journal?.close().catch(() => undefined);
      await rm(this.journalFile, { force: true });
      this.#journalOnDisk = false;
    } catch {
      await journal?.close().catch(() => undefined);
      this.#journal = null;
    }
  }

  #entry(room: string): RoomEntry {
    const entry = this.#rooms.get(room);
    if (entry === undefined) throw new Error(`room ${room} does not exist`);
    return entry;
  }

  /** Applies the change in memory now; resolves when it is durable, rejects (rolled back) if it cannot be. */
  #change(op: JournalOp): Promise<void> {
    this.#pending.push({ op, undo: this.#apply(op) });
    return this.#commit();
  }

  #commit(): Promise<void> {
    return this.#commits.commit();
  }

  /** Applies one change to the maps and returns what undoes it exactly (positions included). */
  #apply(op: JournalOp): () => void {
    switch (op.op) {
      case "room": {
        this.#rooms.set(op.room.name, newRoomEntry(op.room));
        return () => this.#rooms.delete(op.room.name);
      }
      case "service": {
        const entry = this.#entry(op.room);
        const previous = entry.services.get(op.service.id);
        setService(entry, op.service);
        return previous === undefined ? () => removeService(entry, op.service.id) : () => setService(entry, previous);
      }
      case "-service": {
        const entry = this.#entry(op.room);
        const previous = entry.services.get(op.id);
        if (previous === undefined) return () => undefined;
        const position = indexOf(entry.services, op.id);
        removeService(entry, op.id);
        return () => restoreService(entry, previous, position);
      }
      case "route":
        return setKey(this.#routes, op.route.domain, op.route);
      case "-route":
        return deleteKey(this.#routes, op.domain);
      case "secret":
        return setKey(this.#secrets, secretKey(op.secret.room, op.secret.for_identity, op.secret.id), op.secret);
      case "-secret":
        return deleteKey(this.#secrets, secretKey(op.room, op.for_identity, op.id));
      case "image":
        return setKey(this.#images, op.image.tag, op.image);
      case "-image":
        return deleteKey(this.#images, op.tag);
      case "account":
        return setKey(this.#accounts, op.account.id, op.account);
      case "-account": {
        const undos = [deleteKey(this.#accounts, op.id)];
        for (const [key, secret] of [...this.#accountSecrets]) {
          if (secret.service_account_id === op.id) undos.push(deleteKey(this.#accountSecrets, key));
        }
        return () => {
          for (const undo of undos.reverse()) undo();
        };
      }
      case "account_secret":
        return setKey(this.#accountSecrets, accountSecretKey(op.secret.service_account_id, op.secret.id), op.secret);
      case "-account_secret":
        return deleteKey(this.#accountSecrets, accountSecretKey(op.account, op.id));
    }
  }

  async #write(): Promise<void> {
    // Everything applied before this point is in this write; later changes queue for the next.
    const batch = this.#pending;
    this.#pending = [];
    try {
      const journal = this.#journal;
      if (this.#needSnapshot || journal === null || journal.bytes > Math.max(MIN_COMPACT_BYTES, this.#snapshotBytes)) await this.#snapshotWrite();
      else if (batch.length > 0) await journal.append(batch.map((change) => `${JSON.stringify(change.op)}\n`).join(""));
    } catch (error) {
      // Roll back every change not yet durable, newest first: memory is again what is on disk.
      const failed = [...batch, ...this.#pending];
      this.#pending = [];
      for (let index = failed.length - 1; index >= 0; index -= 1) failed[index]!.undo();
      throw storeWriteError(this.file, error);
    }
  }

  /** Writes the whole state as a new snapshot generation, then starts an empty journal of it. */
  async #snapshotWrite(): Promise<void> {
    const generation = this.#generation + 1;
    const text = serializeState({ ...this.#snapshot(), journal: generation }, (service) => this.#jsonOf(service));
    await this.#io.replace(this.file, text);
    // Durable from here: a journal of an older generation on disk is ignored when loading.
    this.#generation = generation;
    this.#snapshotBytes = text.length;
    const old = this.#journal;
    this.#journal = null;
    this.#needSnapshot = true;
    await old?.close().catch(() => undefined);
    try {
      this.#journal = await JournalFile.create(this.journalFile, generation, this.#io);
      this.#journalOnDisk = true;
      this.#needSnapshot = false;
    } catch {
      // The batch is durable in the snapshot; the next write snapshots again.
    }
  }

  #jsonOf(service: ServiceRecord): string {
    let json = this.#serviceJson.get(service);
    if (json === undefined) {
      json = JSON.stringify(service);
      this.#serviceJson.set(service, json);
    }
    return json;
  }

  #snapshot(): StateData {
    return {
      createdAt: this.createdAt,
      platform: this.platform,
      rooms: [...this.#rooms.values()].map(({ room, services }) => ({ room, services: [...services.values()] })),
      routes: [...this.#routes.values()],
      secrets: [...this.#secrets.values()],
      images: [...this.#images.values()],
      ...(this.#accounts.size > 0 ? { serviceAccounts: [...this.#accounts.values()] } : {}),
      ...(this.#accountSecrets.size > 0 ? { accountSecrets: [...this.#accountSecrets.values()] } : {}),
    };
  }

  /** Reads DIR's snapshot and journal into a store (no clean-up, no upgrade). */
  static async #load(
    dataDir: string,
    now: () => Date,
    platform: PlatformVersion,
    io: StorageIo,
  ): Promise<{ store: LocalStore; journal: { generation: number; goodBytes: number; torn: boolean } | null }> {
    const file = join(dataDir, STATE_FILE);
    const journalPath = join(dataDir, JOURNAL_FILE);
    const text = await readIfPresent(file);
    const journalText = await readIfPresent(journalPath);
    let data: StateData;
    if (text === null) {
      data = { createdAt: now().toISOString(), platform, rooms: [], routes: [], secrets: [], images: [] };
    } else {
      try {
        data = parseState(text);
      } catch (error) {
        throw stateError(file, `is corrupt: ${(error as Error).message}`, error);
      }
    }
    const generation = data.journal ?? 0;
    const store = new LocalStore(file, data, io);
    store.#snapshotBytes = text?.length ?? 0;
    if (journalText === null) {
      return { store, journal: null };
    }
    let parsed;
    try {
      parsed = parseJournal(journalText);
    } catch (error) {
      throw stateError(journalPath, `is corrupt: ${(error as Error).message}`, error);
    }
    if (parsed.generation > generation) {
      throw stateError(journalPath, `is of generation ${parsed.generation}, newer than ${text === null ? "a missing" : "its"} ${STATE_FILE} (${generation}): the two files do not belong together`, null);
    }
    // An older generation is already folded into the snapshot (a crash during compaction).
    const current = parsed.generation === generation;
    try {
      store.#journalOnDisk = true;
      if (current) for (const op of parsed.ops) store.#apply(op);
    } catch (error) {
      throw stateError(journalPath, `does not apply to ${STATE_FILE}: ${(error as Error).message}`, error);
    }
    return { store, journal: current ? { generation, goodBytes: parsed.goodBytes, torn: parsed.torn } : null };
  }
}

async function readIfPresent(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw stateError(file, `cannot be read: ${(error as Error).message}`, error);
  }
}

async function removeStaleTempFiles(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => isTempFileOf(name, STATE_FILE) || isTempFileOf(name, JOURNAL_FILE)).map((name) => rm(join(dataDir, name), { force: true })));
}

function secretKey(room: string, forIdentity: string | null, id: string): string {
  return JSON.stringify([room, forIdentity, id]);
}

function accountSecretKey(accountId: string, id: string): string {
  return JSON.stringify([accountId, id]);
}

function stateError(file: string, problem: string, cause: unknown): MeshdeployError {
  return new MeshdeployError("E_LOCAL_ROOM", `local room state file ${file} ${problem}`, {
    hint: "restore it from a backup, or move it away to start with an empty local room",
    cause,
  });
}
