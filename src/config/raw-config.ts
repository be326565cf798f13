// The TypeScript view of a document that passed schemas/meshdeploy.schema.json: exactly what the
// user wrote, before defaults, mount parsing or rules. Types only; keep in step with the schema.
import type { JsonObject } from "../model/service-spec.js";
import type { TokenPreset, ValidationMode } from "../model/desired.js";
import type { EmptyDirMountObject, ImageMountObject, StorageMountObject } from "./mounts.js";

export interface RawConfig {
  version: 1;
  project?: string;
  platform?: string;
  room?: string;
  owner?: string;
  previousOwners?: string[];
  prune?: boolean;
  services: RawService[];
  /** Before the merge only (config/environments.ts drops it). */
  environments?: Record<string, Record<string, unknown> | null>;
}

export interface RawService {
  tag: string;
  /** Before the merge only (config/environments.ts drops it). */
  environments?: string[];
  name?: string;
  build?: string | { context: string; dockerfile?: string };
  room?: string;
  env?: Record<string, string | number | boolean>;
  secrets?: Record<string, string>;
  identity?: string;
  token?: TokenPreset | JsonObject;
  mounts?: RawMounts;
  ports?: RawPort[];
  domain?: string;
  public?: boolean;
  protect?: boolean;
  runAs?: { email: string; scopes?: string[] };
  template?: "agent" | "none";
  enabled?: boolean;
  validation?: ValidationMode;
}

export interface RawMounts {
  room?: (string | StorageMountObject)[];
  project?: (string | StorageMountObject)[];
  images?: (string | ImageMountObject)[];
  emptyDirs?: (string | EmptyDirMountObject)[];
  volumes?: { name: string; path: string; subpath?: string; readOnly?: boolean }[];
}

export interface RawPort {
  num: number;
  type?: "http" | "tcp";
  liveness?: string;
  published?: boolean;
}
