// The local room's state: rooms, their services and secrets, routes and recorded images, held
// in memory and persisted to DIR/state.json. Reads are synchronous. Each mutation applies in
// memory at once and returns a promise that resolves only when a write containing it is durable
// (group commit batches the mutations that arrive while a write is in flight). Knows nothing
// about HTTP or validation.
import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { MeshdeployError } from "../errors.js";
import { isTempFileOf, writeFileAtomic } from "./atomic-write.js";
import { GroupCommit } from "./group-commit.js";
import { DEFAULT_PLATFORM, type PlatformVersion } from "./platform.js";
import { upgradeState } from "./platform-upgrade.js";
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

interface RoomEntry {
  room: RoomRecord;
  services: Map<string, ServiceRecord>;
}

export class LocalStore {
  readonly file: string;
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
  /** Each stored service's JSON, computed once: records are never mutated after they are stored. */
  readonly #serviceJson = new WeakMap<ServiceRecord, string>();
  #dirty = false;

  private constructor(file: string, data: StateData) {
    this.file = file;
    this.createdAt = data.createdAt;
    this.platform = data.platform ?? "0.39.9";
    for (const { room, services } of data.rooms) {
      this.#rooms.set(room.name, { room, services: new Map(services.map((service) => [service.id, service])) });
    }
    for (const route of data.routes) this.#routes.set(route.domain, route);
    for (const secret of data.secrets) this.#secrets.set(secretKey(secret.room, secret.for_identity, secret.id), secret);
    for (const image of data.images) this.#images.set(image.tag, image);
    for (const account of data.serviceAccounts ?? []) this.#accounts.set(account.id, account);
    for (const secret of data.accountSecrets ?? []) this.#accountSecrets.set(accountSecretKey(secret.service_account_id, secret.id), secret);
    this.#commits = new GroupCommit(() => this.#write());
  }

  /**
   * Loads DIR/state.json (an absent file is a new, empty state) after removing temp files left
   * by an interrupted write. Throws E_LOCAL_ROOM naming the file when it cannot be read or parsed,
   * or when it was written for a newer platform than `platform`. State written for an older one
   * is upgraded (platform-upgrade.ts) and made durable before open resolves. Without `platform`, a
   * new state speaks DEFAULT_PLATFORM and an existing one keeps the generation it was written for:
   * an upgrade happens only when one is asked for (conservative: no silent migration of a user's
   * services when the default moves).
   */
  static async open(dataDir: string, now: () => Date = () => new Date(), asked?: PlatformVersion): Promise<LocalStore> {
    const file = join(dataDir, STATE_FILE);
    await removeStaleTempFiles(dataDir);
    let text: string | null = null;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        throw stateError(file, `cannot be read: ${(error as Error).message}`, error);
      }
    }
    if (text === null) return new LocalStore(file, { createdAt: now().toISOString(), platform: asked ?? DEFAULT_PLATFORM, rooms: [], routes: [], secrets: [], images: [] });
    let data: StateData;
    try {
      data = parseState(text);
    } catch (error) {
      throw stateError(file, `is corrupt: ${(error as Error).message}`, error);
    }
    const platform = asked ?? data.platform ?? "0.39.9";
    const upgrade = upgradeState(data, platform);
    if (upgrade.type === "refused") {
      throw new MeshdeployError("E_LOCAL_ROOM", `local room state file ${file} cannot be opened as MeshAgent ${platform}: ${upgrade.reason}`, {
        hint: `start the local room with platform ${data.platform ?? "0.39.9"}, or use another data directory`,
      });
    }
    if (upgrade.type === "same") return new LocalStore(file, data);
    const store = new LocalStore(file, upgrade.data);
    await store.#commit();
    return store;
  }

  /** Number of state-file writes so far. */
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
    this.#rooms.set(room.name, { room, services: new Map() });
    return this.#commit();
  }

  /** Inserts a service or replaces one with the same id, keeping its position. */
  putService(room: string, service: ServiceRecord): Promise<void> {
    this.#entry(room).services.set(service.id, service);
    return this.#commit();
  }

  deleteService(room: string, id: string): Promise<void> {
    this.#entry(room).services.delete(id);
    return this.#commit();
  }

  /** Inserts a route or replaces the one with the same domain, keeping its position. */
  putRoute(route: RouteRecord): Promise<void> {
    this.#routes.set(route.domain, route);
    return this.#commit();
  }

  deleteRoute(domain: string): Promise<void> {
    this.#routes.delete(domain);
    return this.#commit();
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
    this.#secrets.set(secretKey(secret.room, secret.for_identity, secret.id), secret);
    return this.#commit();
  }

  deleteSecret(room: string, forIdentity: string | null, id: string): Promise<void> {
    this.#secrets.delete(secretKey(room, forIdentity, id));
    return this.#commit();
  }

  getImage(tag: string): ImageRecord | undefined {
    return this.#images.get(tag);
  }

  listImages(): ImageRecord[] {
    return [...this.#images.values()];
  }

  /** Records the tag's current image, replacing an older one. */
  putImage(image: ImageRecord): Promise<void> {
    this.#images.set(image.tag, image);
    return this.#commit();
  }

  /** Removes the tag's recorded image (the room's image cache, `containers.delete_image`). */
  deleteImage(tag: string): Promise<void> {
    this.#images.delete(tag);
    return this.#commit();
  }

  listAccounts(): ServiceAccountRecord[] {
    return [...this.#accounts.values()];
  }

  getAccount(id: string): ServiceAccountRecord | undefined {
    return this.#accounts.get(id);
  }

  putAccount(account: ServiceAccountRecord): Promise<void> {
    this.#accounts.set(account.id, account);
    return this.#commit();
  }

  /** Removes the service account and its secrets. */
  deleteAccount(id: string): Promise<void> {
    this.#accounts.delete(id);
    for (const [key, secret] of this.#accountSecrets) if (secret.service_account_id === id) this.#accountSecrets.delete(key);
    return this.#commit();
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
    this.#accountSecrets.set(accountSecretKey(secret.service_account_id, secret.id), secret);
    return this.#commit();
  }

  deleteAccountSecret(accountId: string, id: string): Promise<void> {
    this.#accountSecrets.delete(accountSecretKey(accountId, id));
    return this.#commit();
  }

  /** Waits for in-flight writes and writes once more if anything is not yet on disk. */
  async close(): Promise<void> {
    await this.#commits.idle();
    if (this.#dirty) await this.#commit();
  }

  #entry(room: string): RoomEntry {
    const entry = this.#rooms.get(room);
    if (entry === undefined) throw new Error(`room ${room} does not exist`);
    return entry;
  }

  #commit(): Promise<void> {
    this.#dirty = true;
    return this.#commits.commit();
  }

  async #write(): Promise<void> {
    // Snapshot synchronously: everything mutated before this point is in this write.
    this.#dirty = false;
    const text = serializeState(this.#snapshot(), (service) => this.#jsonOf(service));
    try {
      await writeFileAtomic(this.file, text, 0o600);
    } catch (error) {
      this.#dirty = true;
      throw stateError(this.file, `could not be written: ${(error as Error).message}`, error);
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
}

async function removeStaleTempFiles(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => isTempFileOf(name, STATE_FILE)).map((name) => rm(join(dataDir, name), { force: true })));
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
