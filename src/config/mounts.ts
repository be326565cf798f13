// Mount entries (the CLI's string forms or our object forms) → the MountDecl shapes of desired.ts.
// The string parsers restate MeshAgent CLI 0.39.9 exactly (meshagent/cli/helper.py
// `_split_mount_value`, `split_empty_dir_mount`, `split_image_mount`; meshagent/cli/image.py
// `_parse_deploy_storage` for the subpath rule), quirks included, and reuse its error wording with
// our key in place of the option name. Pure; knows nothing about locations.
import { pyStrip } from "../model/python-str.js";
import type { EmptyDirMountDecl, ImageMountDecl, ProjectMountDecl, RoomMountDecl } from "../model/desired.js";

export type MountResult<T> = { ok: true; value: T } | { ok: false; message: string };

export interface StorageMountObject { source?: string; path: string; readOnly?: boolean }
export interface ImageMountObject { image: string; path: string; subpath?: string; readOnly?: boolean }
export interface EmptyDirMountObject { path: string; readOnly?: boolean }

export type MountKind = "room" | "project" | "images" | "emptyDirs";

/** The CLI flag each kind mirrors (for hints). */
export const MOUNT_CLI_FLAG: Record<MountKind, string> = {
  room: "--room-mount",
  project: "--project-mount",
  images: "--image-mount",
  emptyDirs: "--empty-dir-mount",
};

const MODES = new Set(["ro", "rw"]);
const ok = <T>(value: T): MountResult<T> => ({ ok: true, value });
const fail = <T>(message: string): MountResult<T> => ({ ok: false, message });

/** `--room-mount SOURCE:MOUNT[:ro|rw]`, default read-write. */
export function parseRoomMount(entry: string | StorageMountObject): MountResult<RoomMountDecl> {
  return storageMount(entry, "mounts.room", false);
}

/** `--project-mount SOURCE:MOUNT[:ro|rw]`, default read-only. */
export function parseProjectMount(entry: string | StorageMountObject): MountResult<ProjectMountDecl> {
  return storageMount(entry, "mounts.project", true);
}

function storageMount(entry: string | StorageMountObject, option: string, defaultReadOnly: boolean): MountResult<RoomMountDecl> {
  if (typeof entry !== "string") {
    return ok({ path: entry.path, subpath: subpathOf(entry.source ?? ""), readOnly: entry.readOnly ?? defaultReadOnly });
  }
  const split = splitMountValue(entry, option, defaultReadOnly);
  if (!split.ok) return split;
  const { source, mount, readOnly } = split.value;
  return ok({ path: mount, subpath: subpathOf(source), readOnly });
}

/** `_parse_deploy_storage`: the source is the subpath unless it names the whole storage. */
function subpathOf(source: string): string | null {
  return source === "" || source === "." || source === "/" ? null : source;
}

/** `_split_mount_value` */
export function splitMountValue(value: string, option: string, defaultReadOnly: boolean): MountResult<{ source: string; mount: string; readOnly: boolean }> {
  let cleaned = pyStrip(value);
  if (cleaned === "") return fail(`${option} cannot be empty`);
  let readOnly = defaultReadOnly;
  let parts = rsplit(cleaned, ":", 2);
  const mode = parts.length === 3 ? (parts[2] ?? "").toLowerCase() : "";
  if (MODES.has(mode)) {
    cleaned = `${parts[0]}:${parts[1]}`;
    readOnly = mode === "ro";
  }
  parts = rsplit(cleaned, ":", 1);
  if (parts.length !== 2) return fail(`${option} must be in the form '<source>:<mount>[:ro|rw]'`);
  const source = pyStrip(parts[0] ?? "");
  const mount = pyStrip(parts[1] ?? "");
  if (source === "" || mount === "") return fail(`${option} must include both source and mount paths`);
  return ok({ source, mount, readOnly });
}

/** `--empty-dir-mount MOUNT[:ro|rw]`, default read-write (`split_empty_dir_mount`). */
export function parseEmptyDirMount(entry: string | EmptyDirMountObject): MountResult<EmptyDirMountDecl> {
  if (typeof entry !== "string") return ok({ path: entry.path, readOnly: entry.readOnly ?? false });
  const option = "mounts.emptyDirs";
  const cleaned = pyStrip(entry);
  if (cleaned === "") return fail(`${option} cannot be empty`);
  let readOnly = false;
  let mount = cleaned;
  const parts = rsplit(cleaned, ":", 1);
  if (parts.length === 2) {
    const suffix = (parts[1] ?? "").toLowerCase();
    if (!MODES.has(suffix)) return fail(`${option} must be in the form '<mount>[:ro|rw]'`);
    mount = pyStrip(parts[0] ?? "");
    readOnly = suffix === "ro";
  }
  if (mount === "") return fail(`${option} must include a mount path`);
  if (mount.includes(":")) return fail(`${option} must be in the form '<mount>[:ro|rw]'`);
  return ok({ path: mount, readOnly });
}

/** `--image-mount IMAGE=MOUNT[:ro|rw]`, default read-only, no subpath (`split_image_mount`). */
export function parseImageMount(entry: string | ImageMountObject): MountResult<ImageMountDecl> {
  if (typeof entry !== "string") {
    return ok({ image: entry.image, path: entry.path, subpath: entry.subpath ?? null, readOnly: entry.readOnly ?? true });
  }
  const option = "mounts.images";
  const form = `${option} must be in the form '<image>=<mount>[:ro|rw]'`;
  const both = `${option} must include both image and mount paths`;
  const cleaned = pyStrip(entry);
  if (cleaned === "") return fail(`${option} cannot be empty`);
  const eq = cleaned.indexOf("=");
  if (eq < 0) return fail(form);
  const image = pyStrip(cleaned.slice(0, eq));
  const remainder = pyStrip(cleaned.slice(eq + 1));
  if (image === "" || remainder === "") return fail(both);
  const parts = remainder.split(":").map(pyStrip);
  let mount: string;
  let readOnly = true;
  if (parts.length === 1) {
    mount = parts[0] ?? "";
  } else if (parts.length === 2 && MODES.has((parts[1] ?? "").toLowerCase())) {
    mount = parts[0] ?? "";
    readOnly = (parts[1] ?? "").toLowerCase() === "ro";
  } else {
    return fail(form);
  }
  if (mount === "") return fail(both);
  return ok({ image, path: mount, subpath: null, readOnly });
}

/** Python's `s.rsplit(sep, maxsplit)`. */
export function rsplit(s: string, sep: string, maxsplit: number): string[] {
  const tail: string[] = [];
  let rest = s;
  while (tail.length < maxsplit) {
    const i = rest.lastIndexOf(sep);
    if (i < 0) break;
    tail.unshift(rest.slice(i + sep.length));
    rest = rest.slice(0, i);
  }
  return [rest, ...tail];
}
