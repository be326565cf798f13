// The tools the local room serves over its websocket, by `toolkit.tool` (room-protocol.md §9):
// containers.build / get_build_logs / list_builds / logs, services.list / restart, and per platform
// generation secrets.exists (0.39.9 only: the toolkit is gone at 0.50.1, so a call fails as for any
// unknown tool) and containers.delete_image (0.50.1). Unary tools are small enough to live here;
// the stream calls have their own modules.
import type { BuildJobs } from "../builds/build-jobs.js";
import type { LocalPlatform } from "../platform.js";
import type { ServiceLifecycle } from "../runtime/service-lifecycle.js";
import type { LocalStore } from "../store.js";
import { buildLogsTool } from "./build-logs.js";
import { buildTool } from "./build-upload.js";
import { containerLogsTool } from "./container-logs.js";
import { emptyContent, jsonContent } from "./content.js";
import { invalidRequest, ToolError } from "./tool-error.js";
import type { RoomTool, ToolRegistry, UnaryTool } from "./tools.js";

export interface RoomToolDeps {
  store: LocalStore;
  builds: BuildJobs;
  lifecycle: ServiceLifecycle;
  platform: LocalPlatform;
}

export function createRoomTools(deps: RoomToolDeps): ToolRegistry {
  const tools = new Map<string, RoomTool>([
    ["containers.build", buildTool(deps.builds)],
    ["containers.get_build_logs", buildLogsTool(deps.builds)],
    ["containers.logs", containerLogsTool(deps.lifecycle.logs)],
    ["containers.list_builds", unary((_input, room) => ({ builds: deps.builds.list(room).map(({ id, tag, status, exit_code }) => ({ id, tag, status, exit_code })) }))],
    ["services.list", unary((_input, room) => listServices(deps, room))],
    ["services.restart", restartTool(deps)],
  ]);
  if (deps.platform.roomSecrets) tools.set("secrets.exists", unary((input, room) => ({ exists: secretExists(deps.store, room, input) })));
  return tools;
}

function unary(run: (input: Record<string, unknown>, room: string) => unknown): UnaryTool {
  return { kind: "unary", run: (input, room) => jsonContent(run(input, room)) };
}

/** Specs as JSON strings (what the real server sends, and what the Python client requires). */
function listServices(deps: RoomToolDeps, room: string): { services_json: string[]; service_states: unknown[] } {
  const services = deps.store.listServices(room) ?? [];
  const states = services.flatMap((service) => {
    const state = deps.lifecycle.state(room, service.id);
    return state === undefined ? [] : [state];
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

/**
 * True when the room has a secret with this id for this identity (null = the caller's own).
 * A `delegated_to` in the question must match too; without one, delegation is not compared.
 */
function secretExists(store: LocalStore, room: string, input: Record<string, unknown>): boolean {
  const id = requiredString(input, "secret_id", "secrets.exists");
  const secret = store.getSecret(room, optionalString(input, "for_identity"), id);
  const delegatedTo = optionalString(input, "delegated_to");
  return secret !== undefined && (delegatedTo === null || secret.delegated_to === delegatedTo);
}

function requiredString(input: Record<string, unknown>, field: string, tool: string): string {
  const value = input[field];
  if (typeof value !== "string" || value === "") throw invalidRequest(`${tool} needs a non-empty string "${field}"`);
  return value;
}

function optionalString(input: Record<string, unknown>, field: string): string | null {
  const value = input[field];
  return typeof value === "string" && value !== "" ? value : null;
}
