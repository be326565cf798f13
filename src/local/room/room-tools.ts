// The tools the local room serves over its websocket, by `toolkit.tool` (room-protocol.md §9):
// containers.build / get_build_logs / list_builds / logs, services.list / restart, and per platform
// generation the `secrets` toolkit (0.39.9 only, secrets-tools.ts: gone at 0.50.1, so a call fails as
// for any unknown tool) and containers.delete_image (0.50.1). Unary tools are small enough to live here;
// the stream calls have their own modules.
import type { BuildJobs, BuildRecord } from "../builds/build-jobs.js";
import type { LocalPlatform } from "../platform.js";
import type { ServiceLifecycle } from "../runtime/service-lifecycle.js";
import type { LocalStore } from "../store.js";
import { buildLogsTool } from "./build-logs.js";
import { buildTool } from "./build-upload.js";
import { containerLogsTool } from "./container-logs.js";
import { emptyContent, jsonContent } from "./content.js";
import { secretsTools } from "./secrets-tools.js";
import { serviceState050 } from "./service-states.js";
import { invalidRequest, ToolError } from "./tool-error.js";
import type { RoomTool, ToolRegistry, UnaryTool } from "./tools.js";

export interface RoomToolDeps {
  store: LocalStore;
  builds: BuildJobs;
  lifecycle: ServiceLifecycle;
  platform: LocalPlatform;
  /** 0.50.1: how long a port with a liveness path reports not_ready after its container runs. */
  livenessDelayMs: number;
  /** Milliseconds since the epoch (tests may pin it). */
  now?: () => number;
}

export function createRoomTools(deps: RoomToolDeps): ToolRegistry {
  const tools = new Map<string, RoomTool>([
    ["containers.build", buildTool(deps.builds, deps.platform)],
    ["containers.get_build_logs", buildLogsTool(deps.builds)],
    ["containers.logs", containerLogsTool(deps.lifecycle.logs)],
    ["containers.list_builds", unary((_input, room) => ({ builds: deps.builds.records(room).map((build) => buildJob(build, deps.platform)) }))],
    ["services.list", unary((_input, room) => listServices(deps, room))],
    ["services.restart", restartTool(deps)],
  ]);
  if (deps.platform.publishedImages) tools.set("containers.delete_image", deleteImageTool(deps.store));
  if (deps.platform.roomSecrets) for (const [name, tool] of secretsTools(deps.store)) tools.set(name, tool);
  return tools;
}

/**
 * A `BuildJob`: `{id, tag, status, exit_code}`, plus at 0.50.1 `published_images` (api@6d950a5
 * `PublishedBuildImage`): one per tag of a succeeded build, with the digest the check recorded and
 * `resolved_ref` = the repository @ that digest (no `stats`: nothing was pushed).
 */
function buildJob(build: Readonly<BuildRecord>, platform: LocalPlatform): Record<string, unknown> {
  const { id, tag, status, exit_code } = build;
  if (!platform.publishedImages) return { id, tag, status, exit_code };
  const digest = build.digest;
  const published = status === "succeeded" && digest !== null
    ? build.tags.map((each) => ({ tag: each, digest, resolved_ref: `${repositoryOf(each)}@${digest}`, optimized: build.optimized }))
    : [];
  return { id, tag, status, exit_code, published_images: published };
}

/** `registry/acme/web:1` → `registry/acme/web` (a port in the registry host is not a tag). */
function repositoryOf(reference: string): string {
  const bare = reference.split("@")[0] ?? reference;
  const slash = bare.lastIndexOf("/");
  const colon = bare.lastIndexOf(":");
  return colon > slash ? bare.slice(0, colon) : bare;
}

/**
 * `containers.delete_image {image}` (0.50.1; the deploy CLI cleans the room's build cache with it):
 * forgets the recorded image of that tag (or every tag of a `repository@digest`). 1003 when there is none, which
 * the CLI ignores [INFERRED: the code the platform answers is not in any client].
 */
function deleteImageTool(store: LocalStore): UnaryTool {
  return {
    kind: "unary",
    run: async (input) => {
      const image = requiredString(input, "image", "containers.delete_image");
      const found = store.listImages().filter((record) => record.tag === image || `${repositoryOf(record.tag)}@${record.digest}` === image);
      if (found.length === 0) throw new ToolError("NOT_FOUND", `image not found: ${image}`);
      await Promise.all(found.map((record) => store.deleteImage(record.tag)));
      return emptyContent();
    },
  };
}

function unary(run: (input: Record<string, unknown>, room: string) => unknown): UnaryTool {
  return { kind: "unary", run: (input, room) => jsonContent(run(input, room)) };
}

/** Specs as JSON strings (what the real server sends, and what the Python client requires); states per generation. */
function listServices(deps: RoomToolDeps, room: string): { services_json: string[]; service_states: unknown[] } {
  const services = deps.store.listServices(room) ?? [];
  const now = (deps.now ?? Date.now)() / 1000;
  const states = services.flatMap((service) => {
    const state = deps.lifecycle.state(room, service.id);
    if (state === undefined) return [];
    const extras = deps.lifecycle.extras(room, service.id);
    return [deps.platform.runtimeStatus && extras !== undefined ? serviceState050(service, state, extras, now, deps.livenessDelayMs) : state];
  });
  return { services_json: services.map((service) => JSON.stringify(service)), service_states: states };
}

function restartTool(deps: RoomToolDeps): UnaryTool {
  return {
    kind: "unary",
    run: (input, room) => {
      const id = requiredString(input, "service_id", "services.restart");
      const service = deps.store.getService(room, id);
      if (service === undefined) throw new ToolError("SERVICE_NOT_FOUND", `service not found: ${id}`);
      deps.lifecycle.start(room, service);
      return emptyContent();
    },
  };
}

function requiredString(input: Record<string, unknown>, field: string, tool: string): string {
  const value = input[field];
  if (typeof value !== "string" || value === "") throw invalidRequest(`${tool} needs a non-empty string "${field}"`);
  return value;
}
