// The desired state: what a validated .meshdeploy.yaml means, as plain data. Produced by
// config/load.ts, consumed by the planner. Mount and port entries are already in their wire
// vocabulary (subpath, read_only) so the wire mapping is a straight copy.
import type { SourceLocation } from "../diagnostic.js";
import type { OwnerSource } from "./owner.js";
import type { JsonObject } from "./service-spec.js";

export type TokenPreset = "userDefault" | "agentDefault" | "full";

/** `token:` — a CLI preset or a custom ApiScope object (as the CLI's JSON form). */
export type TokenSetting = { preset: TokenPreset } | { scope: JsonObject };

export interface RoomMountDecl { path: string; subpath: string | null; readOnly: boolean }
export interface ProjectMountDecl { path: string; subpath: string | null; readOnly: boolean }
export interface ImageMountDecl { image: string; path: string; subpath: string | null; readOnly: boolean }
export interface EmptyDirMountDecl { path: string; readOnly: boolean }
/** A named room volume (MeshAgent 0.48+, storage.volumes). */
export interface VolumeMountDecl { name: string; path: string; subpath: string | null; readOnly: boolean }

/** `validation:` — the CLI's --validation-mode (MeshAgent 0.42+). */
export type ValidationMode = "default" | "cookie" | "none";

/** `runAs:` — the service account the container runs as (MeshAgent 0.45+). */
export interface RunAsDecl {
  /** As written (the wire model trims and lower-cases it). */
  email: string;
  /** null: not declared (MeshAgent's default, plus the CLI's secret scopes when secrets are used). */
  scopes: string[] | null;
}

/** `null` for a kind means "not declared". */
export interface MountsDecl {
  room: RoomMountDecl[] | null;
  project: ProjectMountDecl[] | null;
  images: ImageMountDecl[] | null;
  emptyDirs: EmptyDirMountDecl[] | null;
  volumes: VolumeMountDecl[] | null;
}

export interface PortDecl {
  num: number;
  type: "http" | "tcp";
  /** null: the CLI's default ("/" for http ports, none for tcp). */
  liveness: string | null;
  /** null when not written (the wire field is then left null, as the CLI leaves it). */
  published: boolean | null;
}

/** `build:` — a local context built inside the room before deploying. */
export interface BuildDecl {
  /** Absolute path of the context directory. */
  context: string;
  /** Dockerfile path relative to the context (POSIX separators); null: Containerfile, then Dockerfile. */
  dockerfile: string | null;
}

export interface DesiredService {
  /** Index in `services:`. */
  index: number;
  /** The image reference as written (trimmed later by the tag parser, exactly like the CLI). */
  tag: string;
  /** `name:`: the service name instead of the tag-derived one (null: derived). */
  name: string | null;
  /** null: deploy the tag as is (no build). */
  build: BuildDecl | null;
  room: string;
  env: { name: string; value: string }[];
  secrets: { name: string; secretId: string }[];
  /** `identity:`; null means the derived service name. */
  identity: string | null;
  token: TokenSetting | null;
  /**
   * True when `env`, `secrets` or `token` is declared (even empty): the environment is then
   * replaced wholesale. Otherwise the live environment is kept, as the CLI keeps it when no
   * -e/--env-secret/--meshagent-token flag is given.
   */
  manageEnvironment: boolean;
  /** A kind that is null is not declared: the live mounts of that kind are kept. */
  mounts: MountsDecl;
  /** null = not declared: the live service's ports are kept. */
  ports: PortDecl[] | null;
  domain: string | null;
  public: boolean;
  /**
   * True when `public:` is written in the config. Undeclared `ports:` are the live service's and
   * kept exactly; only a declared `public:` rewrites their `public` flag and validation annotation.
   * Absent (older callers) counts as not declared.
   */
  publicDeclared?: boolean;
  /** `protect: true`: recorded on the live service; prune refuses to delete it until it is applied false. */
  protect: boolean;
  /** null for each: not declared (the live value is kept; a new service gets the server's default). */
  runAs: RunAsDecl | null;
  template: "agent" | "none" | null;
  enabled: boolean | null;
  /** null: `default` on servers that have validation modes; the 0.39 rule (private → cookie) before. */
  validation: ValidationMode | null;
  /** Where things are in the file, for located errors after load (e.g. naming needs the network). */
  locations: { service: SourceLocation; tag: SourceLocation; room: SourceLocation; build: SourceLocation | null; name?: SourceLocation; fields?: Readonly<Record<string, SourceLocation>> };
}

export interface DesiredState {
  /** Absolute path of the config file. */
  file: string;
  version: 1;
  project: string | null;
  /** `platform:` — the MeshAgent version to speak instead of the server's; null: detect. */
  platform: string | null;
  owner: string;
  /** Where `owner` came from (model/owner.ts): written, derived from git, or the directory name. */
  ownerSource: OwnerSource;
  /** `previousOwners:` — earlier owners whose services this config takes over (as `--adopt-from`). */
  previousOwners: string[];
  prune: boolean;
  services: DesiredService[];
  /** `-e NAME`: the environment this state is for (absent when the config declares none). */
  environment?: string;
}
