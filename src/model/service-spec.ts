// Wire types of a MeshAgent 0.39.x ServiceSpec (api@0.39.9 meshagent/api/specs/service.py).
// Deliberately loose where meshdeploy does not look inside (agents, endpoints): those fields are
// carried through untouched. Index signatures keep fields a newer server may add.
import type { RouteShape } from "./route-spec.js";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface ServiceSpec {
  version: "v1";
  kind: "Service";
  id?: string | null;
  metadata: ServiceMetadata;
  agents?: Json[] | null;
  ports?: PortSpec[] | null;
  files?: Json[] | null;
  container?: ContainerSpec | null;
  external?: JsonObject | null;
  [extra: string]: unknown;
}

export interface ServiceMetadata {
  name: string;
  description?: string | null;
  repo?: string | null;
  icon?: string | null;
  annotations?: Record<string, string> | null;
  [extra: string]: unknown;
}

export interface ContainerSpec {
  image: string;
  command?: string | null;
  working_dir?: string | null;
  environment?: EnvironmentVariable[] | null;
  secrets?: string[] | null;
  pull_secret?: string | null;
  storage?: ContainerMountSpec | null;
  on_demand?: boolean | null;
  writable_root_fs?: boolean | null;
  private?: boolean;
  [extra: string]: unknown;
}

export interface EnvironmentVariable {
  name: string;
  value?: string | null;
  token?: TokenValue | null;
  secret?: SecretValue | null;
}

export interface TokenValue {
  identity: string;
  api?: JsonObject | null;
  role?: "user" | "agent" | "tool" | null;
}

/** 0.39: a room secret for `identity`; from 0.45: a service-account secret, `{id}` only. */
export interface SecretValue {
  identity?: string;
  id: string;
}

export interface RoomStorageMount { path: string; subpath?: string | null; read_only?: boolean }
export interface ProjectStorageMount { path: string; subpath?: string | null; read_only?: boolean }
export interface ImageStorageMount { image: string; path: string; subpath?: string | null; read_only?: boolean }
export interface EmptyDirMount { path: string; read_only?: boolean }
export interface VolumeMount { name: string; path: string; subpath?: string | null; read_only?: boolean }

export interface ContainerMountSpec {
  room?: RoomStorageMount[] | null;
  project?: ProjectStorageMount[] | null;
  images?: ImageStorageMount[] | null;
  files?: Json[] | null;
  empty_dirs?: EmptyDirMount[] | null;
  configs?: Json[] | null;
  /** MeshAgent 0.48+: named room volumes. */
  volumes?: VolumeMount[] | null;
  [extra: string]: unknown;
}

export interface PortSpec {
  num: "*" | number;
  type?: "http" | "tcp" | null;
  endpoints?: Json[];
  liveness?: string | null;
  published?: boolean | null;
  public?: boolean | null;
  annotations?: Record<string, string> | null;
  [extra: string]: unknown;
}

/** A live service as listed by the platform: always has an id. */
export type LiveService = ServiceSpec & { id: string };

/**
 * A domain route in the legacy (0.39.x) flat fields, normalised from either answer shape
 * (platform/payloads.ts). `shape` is present only for RouteSpec answers (0.40.3+): the paths and
 * backend, so a route meshdeploy cannot rewrite without loss is recognised (model/route-spec.ts).
 */
export interface Route {
  domain: string;
  /** "" when the backend is an agent. */
  room_name: string;
  port: string;
  annotations: Record<string, string>;
  shape?: RouteShape;
}
