// Reopening a data directory at another platform generation (SPEC.md "Platform generations"):
// 0.39.9 → 0.50.1 migrates the stored service specs the way a real server's upgrade presumably
// did [INFERRED: no MeshAgent source shows the server-side migration]: the fields removed in 0.45
// are dropped (`container.secrets`, `container.storage.project`, `secret.identity`) and the 0.41–0.49
// defaults are filled in (`container.template: "agent"`, `enabled: true`). Routes, images and 0.39
// room secrets are kept as they are (room secrets are no longer served). 0.50.1 → 0.39.9 is
// refused: the data may hold what 0.39.9 cannot express. Pure: never mutates its input.
import type { Json, JsonObject } from "../model/service-spec.js";
import { comparePlatforms, type PlatformVersion } from "./platform.js";
import type { ServiceRecord, StateData } from "./state.js";

export type UpgradeResult = { type: "same" } | { type: "upgraded"; data: StateData } | { type: "refused"; reason: string };

/** What opening `data` (written for `data.platform`, absent = 0.39.9) at `to` means. */
export function upgradeState(data: StateData, to: PlatformVersion): UpgradeResult {
  const from = data.platform ?? "0.39.9";
  const order = comparePlatforms(from, to);
  if (order === 0) return { type: "same" };
  if (order > 0) {
    return { type: "refused", reason: `it was written by a local room speaking MeshAgent ${from}, and a data directory cannot be taken back to ${to}` };
  }
  return {
    type: "upgraded",
    data: {
      ...data,
      platform: to,
      rooms: data.rooms.map(({ room, services }) => ({ room, services: services.map(upgradeService050) })),
    },
  };
}

/** A 0.39.9 stored spec as 0.50.1 would hold it (see the header). */
export function upgradeService050(service: ServiceRecord): ServiceRecord {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(service)) {
    out[key] = key === "container" && isObject(value) ? upgradeContainer(value) : structuredClone(value);
    if (key === "kind" && !Object.hasOwn(service, "enabled")) out.enabled = true;
  }
  if (!Object.hasOwn(out, "enabled")) out.enabled = true;
  return out as ServiceRecord;
}

function upgradeContainer(container: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(container)) {
    if (key === "secrets") continue;
    if (key === "storage" && isObject(value)) {
      const { project: _dropped, ...storage } = value;
      out.storage = structuredClone(storage);
    } else if (key === "environment" && Array.isArray(value)) {
      out.environment = value.map(upgradeEnvironmentVariable);
    } else {
      out[key] = structuredClone(value);
    }
    if (key === "image" && !Object.hasOwn(container, "template")) out.template = "agent";
  }
  if (!Object.hasOwn(out, "template")) out.template = "agent";
  return out;
}

function upgradeEnvironmentVariable(entry: Json): Json {
  if (!isObject(entry) || !isObject(entry.secret)) return structuredClone(entry);
  const { identity: _dropped, ...secret } = entry.secret;
  return { ...structuredClone(entry), secret: structuredClone(secret) };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
