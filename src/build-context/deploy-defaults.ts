// What `meshagent deploy PATH` derives from the Dockerfile's final stage (cli@0.39.9 image.py
// `_infer_deploy_ports_from_packed_dockerfile_metadata`, `_resolve_runtime_container_override`;
// constants from api@0.39.9 image_runtime.py and room_ports.py): default ports from EXPOSE and
// the `meshagent.runtime` override. Pure: no I/O; the caller decides when these apply.
import type { ImageStorageMount, PortSpec } from "../model/service-spec.js";
import { RESERVED_ROOM_SERVICE_PORTS } from "../model/spec-model-table.js";
import { BuildContextError } from "./build-error.js";
import type { DockerfileMetadata } from "./dockerfile.js";
import { pyStrip } from "./python-text.js";
import { shlexQuote } from "./shlex.js";

export const RUNTIME_LABEL = "meshagent.runtime";
const RUNTIME_MOUNT_PATH = "/app";
const RUNTIME_MOUNT_SUBPATH = "app";
const RUNTIMES: Record<string, { name: string; baseImage: string; launcher: string[] }> = {
  node: { name: "node", baseImage: "meshagent/node:default", launcher: ["node"] },
  python: { name: "python", baseImage: "meshagent/python:default", launcher: ["python"] },
};

/** One `{num, type: "http", published: true}` per EXPOSEd tcp port; null when none. */
export function defaultPorts(metadata: DockerfileMetadata): PortSpec[] | null {
  if (metadata.exposedPorts.length === 0) return null;
  if (metadata.exposedPorts.some((p) => RESERVED_ROOM_SERVICE_PORTS.includes(p))) {
    throw new BuildContextError(
      "dockerfile-metadata",
      `packed Dockerfile exposed a reserved MeshAgent room infrastructure port; reserved ports: ${RESERVED_ROOM_SERVICE_PORTS.join(", ")}`,
      { hint: "EXPOSE a different port in the Dockerfile's final stage." },
    );
  }
  return metadata.exposedPorts.map((num) => ({ num, type: "http", published: true }));
}

export interface RuntimeOverride {
  /** The container image becomes the runtime's base image… */
  image: string;
  /** …running the launcher plus ENTRYPOINT/CMD, shell-quoted into one string… */
  command: string;
  workingDir: string;
  /** …with the built image mounted read-only at /app (subpath "app"). */
  imageMount: ImageStorageMount;
}

/** The `LABEL meshagent.runtime=node|python` override, or null (no label or an unknown runtime). */
export function runtimeOverride(metadata: DockerfileMetadata, builtImage: string): RuntimeOverride | null {
  const label = metadata.labels[RUNTIME_LABEL];
  if (label === undefined) return null;
  const key = pyStrip(label).toLowerCase();
  const runtime = Object.hasOwn(RUNTIMES, key) ? RUNTIMES[key] : undefined;
  if (runtime === undefined) return null;
  let startup = metadata.entrypoint;
  let args: string[] = [];
  if (startup === null) startup = metadata.command;
  else if (metadata.command !== null) args = metadata.command;
  if (startup === null) {
    throw new BuildContextError(
      "dockerfile-metadata",
      `packed Dockerfile final stage uses ${RUNTIME_LABEL}=${runtime.name} but does not define CMD or ENTRYPOINT`,
      { hint: "Add a CMD or ENTRYPOINT to the final stage." },
    );
  }
  const tokens = hasLauncher(startup, runtime.launcher) ? [...startup, ...args] : [...runtime.launcher, ...startup, ...args];
  return {
    image: runtime.baseImage,
    command: tokens.map(shlexQuote).join(" "),
    workingDir: metadata.workingDir || RUNTIME_MOUNT_PATH,
    imageMount: { image: builtImage, path: RUNTIME_MOUNT_PATH, subpath: RUNTIME_MOUNT_SUBPATH, read_only: true },
  };
}

/** `_command_has_runtime_launcher`: the first token's basename is the launcher's. */
function hasLauncher(tokens: readonly string[], launcher: readonly string[]): boolean {
  if (tokens.length === 0 || launcher.length === 0 || tokens.length < launcher.length) return false;
  if (basename(tokens[0] ?? "") !== basename(launcher[0] ?? "")) return false;
  return launcher.slice(1).every((t, i) => tokens[i + 1] === t);
}

/** `PurePosixPath(p).name`. */
function basename(p: string): string {
  const parts = p.split("/").filter((s) => s !== "" && s !== ".");
  return parts[parts.length - 1] ?? "";
}
