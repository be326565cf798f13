// A schema-valid document → DesiredState: fills defaults, converts env numbers/booleans to their
// YAML text, parses mount strings (the only step here that can fail), normalises custom token
// scopes, and records locations. Pure: the file name is only data. Must not judge semantics
// (rooms, tags, names, secrets…): that is rules/; where a value is missing it leaves "" or null
// for a rule to report, and callers never use the result when any diagnostic exists.
import { basename, dirname, resolve } from "node:path";
import type { DefaultOwner } from "../model/owner.js";
import { pyStrip } from "../model/python-str.js";
import { normalizeApiScope } from "../model/spec-model.js";
import type { Diagnostic, SourceLocation } from "../diagnostic.js";
import type { DesiredService, DesiredState, MountsDecl, PortDecl, RunAsDecl, TokenSetting } from "../model/desired.js";
import { editDistance } from "./did-you-mean.js";
import { MOUNT_CLI_FLAG, parseEmptyDirMount, parseImageMount, parseProjectMount, parseRoomMount, type MountKind, type MountResult } from "./mounts.js";
import type { RawConfig, RawMounts, RawService } from "./raw-config.js";
import type { JsonPath, YamlSource } from "./yaml-source.js";

export interface Built {
  desired: DesiredState;
  diagnostics: Diagnostic[];
}

/** `absoluteFile` names the config file; `defaultOwner` applies when the config has no `owner:` (loadConfig reads it from git). */
export function buildDesired(raw: RawConfig, source: YamlSource, absoluteFile: string, defaultOwner: DefaultOwner = directoryDefault(absoluteFile)): Built {
  const diagnostics: Diagnostic[] = [];
  const services = raw.services.map((service, index) => buildService(raw, service, index, source, diagnostics, absoluteFile));
  const desired: DesiredState = {
    file: absoluteFile,
    version: 1,
    project: raw.project ?? null,
    platform: raw.platform ?? null,
    owner: raw.owner ?? defaultOwner.owner,
    ownerSource: raw.owner !== undefined ? { type: "config" } : defaultOwner.source,
    previousOwners: [...(raw.previousOwners ?? [])],
    prune: raw.prune ?? false,
    services,
  };
  return { desired, diagnostics };
}

/** Without git: the config directory's name (prune refuses it; model/owner.ts). */
export function directoryDefault(absoluteFile: string): DefaultOwner {
  const directory = basename(dirname(absoluteFile));
  return { owner: directory, source: { type: "directory", directory } };
}

function buildService(raw: RawConfig, service: RawService, index: number, source: YamlSource, diagnostics: Diagnostic[], absoluteFile: string): DesiredService {
  const at = (...path: (string | number)[]): JsonPath => ["services", index, ...path];
  const serviceLocation = source.locate(at());
  const roomPath = service.room !== undefined ? at("room") : raw.room !== undefined ? ["room"] : null;
  return {
    index,
    tag: service.tag,
    name: service.name ?? null,
    build: buildDecl(service.build, dirname(absoluteFile)),
    room: service.room ?? raw.room ?? "",
    env: Object.entries(service.env ?? {}).map(([name, value]) => ({
      name,
      value: typeof value === "string" ? value : (source.scalarText(at("env", name)) ?? String(value)),
    })),
    secrets: Object.entries(service.secrets ?? {}).map(([name, secretId]) => ({ name, secretId })),
    identity: service.identity === undefined ? null : pyStrip(service.identity),
    token: tokenSetting(service.token),
    manageEnvironment: service.env !== undefined || service.secrets !== undefined || service.token !== undefined,
    mounts: buildMounts(service.mounts, at, source, diagnostics),
    ports: service.ports?.map((port): PortDecl => ({
      num: port.num,
      type: port.type ?? "http",
      liveness: port.liveness ?? null,
      published: port.published ?? null,
    })) ?? null,
    domain: service.domain ?? null,
    public: service.public ?? false,
    publicDeclared: service.public !== undefined,
    protect: service.protect ?? false,
    runAs: service.runAs === undefined ? null : runAsDecl(service.runAs),
    template: service.template ?? null,
    enabled: service.enabled ?? null,
    validation: service.validation ?? null,
    locations: {
      service: serviceLocation,
      tag: source.locate(at("tag")),
      room: roomPath === null ? serviceLocation : source.locate(roomPath),
      build: service.build === undefined ? null : source.locate(at("build")),
      ...(service.name === undefined ? {} : { name: source.locate(at("name")) }),
      fields: fieldLocations(service, at, source),
    },
  };
}

/** Where the generation-dependent (and route) fields are written, for plan problems that name them. */
const GENERATION_FIELDS = ["secrets", "runAs", "template", "enabled", "validation", "identity", "token"] as const;

function fieldLocations(service: RawService, at: (...path: (string | number)[]) => JsonPath, source: YamlSource): Record<string, SourceLocation> {
  const out: Record<string, SourceLocation> = {};
  for (const field of GENERATION_FIELDS) if (service[field] !== undefined) out[field] = source.locate(at(field));
  if (service.mounts?.project !== undefined) out["mounts.project"] = source.locate(at("mounts", "project"));
  if (service.mounts?.volumes !== undefined) out["mounts.volumes"] = source.locate(at("mounts", "volumes"));
  // Route problems (a domain without exactly one published port) point at these.
  if (service.domain !== undefined) out["domain"] = source.locate(at("domain"));
  if (service.ports !== undefined) out["ports"] = source.locate(at("ports"));
  return out;
}

/** As written: the 0.50.1 model (ServiceRunAs) trims and lower-cases the email and trims and de-duplicates the scopes when the spec is dumped. */
function runAsDecl(runAs: NonNullable<RawService["runAs"]>): RunAsDecl {
  return { email: runAs.email, scopes: runAs.scopes === undefined ? null : [...runAs.scopes] };
}

/** Relative paths are relative to the config file's directory, wherever meshdeploy runs from. */
function buildDecl(build: RawService["build"], configDir: string): DesiredService["build"] {
  if (build === undefined) return null;
  const spec = typeof build === "string" ? { context: build } : build;
  return { context: resolve(configDir, spec.context), dockerfile: spec.dockerfile?.replaceAll("\\", "/") ?? null };
}

/** A custom scope is stored as MeshAgent's ApiScope model would dump it (rules/token-scope.ts reports issues). */
function tokenSetting(token: RawService["token"]): TokenSetting | null {
  if (token === undefined) return null;
  if (typeof token === "string") return { preset: token };
  const normalized = normalizeApiScope(token);
  return { scope: normalized.ok ? normalized.value : structuredClone(token) };
}

function buildMounts(mounts: RawMounts | undefined, at: (...path: (string | number)[]) => JsonPath, source: YamlSource, diagnostics: Diagnostic[]): MountsDecl {
  function kind<E, T>(name: MountKind, entries: E[] | undefined, parse: (entry: E) => MountResult<T>): T[] | null {
    if (entries === undefined) return null;
    const parsed: T[] = [];
    entries.forEach((entry, i) => {
      const result = parse(entry);
      if (result.ok) {
        parsed.push(result.value);
        return;
      }
      diagnostics.push({
        message: `${result.message}, got ${JSON.stringify(entry)}${modeTypoNote(entry)}`,
        location: source.locate(at("mounts", name, i)),
        hint: `the same syntax as the CLI's ${MOUNT_CLI_FLAG[name]}, e.g. ${MOUNT_EXAMPLE[name]}; or write a mapping ${MOUNT_OBJECT[name]}`,
        rule: "mount-syntax",
      });
    });
    return parsed;
  }
  return {
    room: kind("room", mounts?.room, parseRoomMount),
    project: kind("project", mounts?.project, parseProjectMount),
    images: kind("images", mounts?.images, parseImageMount),
    emptyDirs: kind("emptyDirs", mounts?.emptyDirs, parseEmptyDirMount),
    // Objects only (the schema checked their shape): nothing to parse.
    volumes: mounts?.volumes?.map((v) => ({ name: v.name, path: v.path, subpath: v.subpath ?? null, readOnly: v.readOnly ?? false })) ?? null,
  };
}

/** `"/tmp/cache:rx"`: the last `:` part looks like a mistyped mode (rules/mounts.ts does the same for room and project). */
function modeTypoNote(entry: unknown): string {
  if (typeof entry !== "string") return "";
  const last = entry.slice(entry.lastIndexOf(":") + 1).trim().toLowerCase();
  if (!/^[a-z]{1,5}$/.test(last) || last === "ro" || last === "rw") return "";
  return `; did you mean \`:${editDistance(last, "rw") < editDistance(last, "ro") ? "rw" : "ro"}\`?`;
}

const MOUNT_EXAMPLE: Record<MountKind, string> = {
  room: `"/assets:/srv/assets:ro"`,
  project: `"shared:/shared"`,
  images: `"busybox=/opt/base:rw"`,
  emptyDirs: `"/tmp/cache"`,
};

const MOUNT_OBJECT: Record<MountKind, string> = {
  room: "{source, path, readOnly}",
  project: "{source, path, readOnly}",
  images: "{image, path, subpath, readOnly}",
  emptyDirs: "{path, readOnly}",
};
