// Build one service's image inside its room, as `meshagent deploy PATH` does: pack the context
// (refusing one that changed since the plan), get push credentials for the project registry,
// stream the tar through `containers.build`, follow the logs to the exit status.
import { packContext } from "../build-context/pack.js";
import type { HashCache } from "../build-context/context-hash.js";
import { MeshdeployError } from "../errors.js";
import type { BuildStep, PlannedService } from "../plan/types.js";
import type { DockerSecret } from "../platform/official-client.js";
import type { RoomApi } from "../platform/room-api.js";
import type { Target } from "../platform/target.js";
import { quotedLines, stripCriPrefix } from "./log-tail.js";

const TAIL_LINES = 15;

export interface BuildContext {
  cache: HashCache;
  /** Absolute directories never packed (meshdeploy's own state). */
  exclude: readonly string[];
  onLog: (line: string) => void;
}

/** The registry repository of a project-registry image: everything after `<registry>/<project-key>/`. */
export function repositoryName(image: string, registry: string): string | null {
  if (!image.startsWith(`${registry}/`)) return null;
  const path = image.slice(registry.length + 1).replace(/:[^/:]*$/, "");
  const slash = path.indexOf("/");
  return slash < 0 ? null : path.slice(slash + 1);
}

export interface Built {
  /** The room's build id (containers.list_builds names it). */
  buildId: string;
  hash: string;
  files: Map<string, string>;
}

export async function buildImage(target: Target, room: RoomApi, service: PlannedService, step: BuildStep, ctx: BuildContext): Promise<Built> {
  const packed = await packContext(step.context, { cache: ctx.cache, exclude: ctx.exclude, ...(step.dockerfile === null ? {} : { dockerfile: step.dockerfile }) });
  if (packed.hash !== step.hash) {
    throw new MeshdeployError("E_BUILD", `the build context of ${service.name} changed after the plan was made`, { hint: "run plan/apply again to build the current files" });
  }
  const { projectRegistry } = await target.namingContext();
  const repository = repositoryName(service.image, projectRegistry);
  const credentials = repository === null ? [] : [await target.registryCredentials(repository, projectRegistry)];
  try {
    return await runBuild(room, service, packed, credentials, ctx);
  } finally {
    // The token lived for this build only; the redactor forgets it (a long watch would pile them up).
    for (const credential of credentials) target.releaseCredentials(credential);
  }
}

async function runBuild(room: RoomApi, service: PlannedService, packed: Awaited<ReturnType<typeof packContext>>, credentials: DockerSecret[], ctx: BuildContext): Promise<Built> {
  const buildId = await room.build({ tag: service.image, dockerfilePath: packed.dockerfilePath, size: packed.size, chunks: packed.chunks(), credentials });
  const tail: string[] = [];
  const status = await room.followBuildLogs(buildId, (raw) => {
    const line = stripCriPrefix(raw);
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    ctx.onLog(line);
  });
  if (status === 0) return { buildId, hash: packed.hash, files: packed.files };
  const why = status === null ? "the build log stream closed before an exit code was returned" : `the build exited with status ${status}`;
  // The error is printed after the token is released: take any echo of it out here.
  const scrub = (line: string): string => credentials.reduce((text, credential) => text.split(credential.password).join("***"), line);
  throw new MeshdeployError("E_BUILD", [`building ${service.image} failed: ${why}`, ...quotedLines(tail.map(scrub))].join("\n"), {
    hint: "fix the Dockerfile or the context and apply again; other services were not affected",
  });
}
