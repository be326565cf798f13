// Whether a service mounts every Dockerfile VOLUME path (cli@0.39.9 image.py
// `_iter_deploy_storage_mount_paths`, `_validate_packed_dockerfile_volume_mounts`,
// `_build_missing_volume_mount_error`). The rule is exact equality of normalised paths: a mount
// at /data does not cover a VOLUME /data/cache. Pure: no I/O.
import type { ContainerMountSpec } from "../model/service-spec.js";
import { normalizeContainerPath } from "./dockerfile-args.js";

/** Every mount path of a container's storage (room, project, images, empty dirs, configs), normalised. */
export function storageMountPaths(storage: ContainerMountSpec | null | undefined): string[] {
  if (storage === null || storage === undefined) return [];
  const configs = (storage.configs ?? []).map((c) => (c !== null && typeof c === "object" && !Array.isArray(c) && typeof c["path"] === "string" ? c["path"] : ""));
  const all = [
    ...(storage.room ?? []).map((m) => m.path),
    ...(storage.project ?? []).map((m) => m.path),
    ...(storage.images ?? []).map((m) => m.path),
    ...(storage.empty_dirs ?? []).map((m) => m.path),
    ...configs,
  ];
  const out: string[] = [];
  for (const p of all) {
    const normalized = normalizeContainerPath(p);
    if (normalized !== "" && !out.includes(normalized)) out.push(normalized);
  }
  return out;
}

/** The VOLUME paths no mount path equals (after normalising both), in VOLUME order. */
export function missingVolumeMounts(volumePaths: readonly string[], mountPaths: readonly string[]): string[] {
  const mounted = new Set(mountPaths.map(normalizeContainerPath).filter((p) => p !== ""));
  const missing: string[] = [];
  for (const volume of volumePaths) {
    const normalized = normalizeContainerPath(volume);
    if (normalized !== "" && !mounted.has(normalized) && !missing.includes(normalized)) missing.push(normalized);
  }
  return missing;
}

/** The first sentence of the CLI's error, verbatim; its `--…-mount` flag examples do not apply to a config. */
export function missingVolumeMountSummary(missing: readonly string[]): string {
  const one = missing.length === 1;
  return `packed Dockerfile final stage declares VOLUME path${one ? "" : "s"} ${missing.join(", ")}, but the deployed service does not mount ${one ? "it" : "them"}.`;
}
