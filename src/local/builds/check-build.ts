// The local room's "build": reads the context tar, finds the Dockerfile, checks every instruction
// against the context (check-instructions.ts) and decides the outcome. Nothing is executed,
// pulled or pushed; the log says so. The image digest is `sha256:` + the SHA-256 of the context
// tar as received, so the same context always gives the same digest. Pure (no I/O).
import { createHash } from "node:crypto";
import { posix } from "node:path";
import { gunzipSync } from "node:zlib";
import { checkInstructions } from "./check-instructions.js";
import { ContextIndex } from "./context-index.js";
import { DockerfileError, parseDockerfile } from "./dockerfile.js";
import { readTar, TarError, type TarEntry } from "./tar-reader.js";

export interface BuildInput {
  /** The build context as received: a tar archive (gzip is tolerated). */
  context: Buffer;
  tag: string;
  /** Absolute (inside `mountPath`) or relative to the context; null = Containerfile, then Dockerfile. */
  dockerfilePath: string | null;
  contextPath: string;
  mountPath: string;
  /** The most a gzipped context may unpack to (default MAX_UNPACKED_BYTES). */
  maxUnpackedBytes?: number;
}

/**
 * A gzipped context is bounded after decompression, not only as received (audit M5: a 2 MB gzip
 * bomb unpacked to 2 GiB in memory). The same limit as an uncompressed upload.
 */
export const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;

export interface BuildOutcome {
  /** Log lines, without line terminators. */
  lines: string[];
  exitCode: number;
  digest: string;
}

export function checkBuild(input: BuildInput): BuildOutcome {
  const digest = `sha256:${createHash("sha256").update(input.context).digest("hex")}`;
  const lines: string[] = [];
  const failed = (why: string): BuildOutcome => {
    lines.push(`error: ${why}`, "build failed with exit code 1");
    return { lines, exitCode: 1, digest };
  };
  let entries: TarEntry[];
  const limit = input.maxUnpackedBytes ?? MAX_UNPACKED_BYTES;
  try {
    // maxOutputLength stops inflating at the limit: memory never holds more than that.
    entries = readTar(isGzip(input.context) ? gunzipSync(input.context, { maxOutputLength: limit }) : input.context);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      return failed(`the gzipped build context unpacks to more than ${limit} bytes, the local room's limit (${input.context.length} bytes received)`);
    }
    if (error instanceof TarError || (error as NodeJS.ErrnoException).code?.startsWith("Z_")) {
      return failed(`the build context is not a readable tar archive: ${(error as Error).message}`);
    }
    throw error;
  }
  const contextDir = insideMount(input.contextPath, input.mountPath, "");
  if (contextDir === null) return failed(`context_path "${input.contextPath}" is not inside mount_path "${input.mountPath}"`);
  const context = new ContextIndex(entries, contextDir);
  // "archive": this hashes the tar as received, not meshdeploy's content hash (the plan's `build.context`).
  lines.push(`#0 build context: ${input.context.length} bytes, ${context.files.length} files, archive ${digest}`);
  if (contextDir !== "" && context.isEmpty) return failed(`context_path "${input.contextPath}" is not in the archive`);

  const dockerfile = findDockerfile(entries, input, contextDir);
  if (typeof dockerfile === "string") return failed(dockerfile);
  let instructions;
  try {
    instructions = parseDockerfile(dockerfile.entry.data.toString("utf8"));
  } catch (error) {
    if (error instanceof DockerfileError) return failed(`${dockerfile.entry.path}: ${error.message}`);
    throw error;
  }
  if (instructions.length === 0) return failed(`${dockerfile.entry.path} has no instructions`);
  const report = checkInstructions(instructions, context);
  const counted = `${plural(instructions.length, "instruction")}, ${plural(report.stages, "stage")}`;
  lines.push(`#0 Dockerfile ${dockerfile.entry.path}: ${counted}`);
  lines.push(...report.lines);
  if (report.stages === 0) return failed(`${dockerfile.entry.path} has no FROM instruction`);
  if (report.problems > 0) return failed(`${plural(report.problems, "problem")} in ${dockerfile.entry.path}`);
  lines.push(
    `#${instructions.length + 1} image ${input.tag} recorded as ${digest}`,
    "done: the local room checked the Dockerfile against the context; it built no layers and pushed nothing",
  );
  return { lines, exitCode: 0, digest };
}

function findDockerfile(entries: readonly TarEntry[], input: BuildInput, contextDir: string): { entry: TarEntry } | string {
  const byPath = new Map(entries.filter((entry) => entry.type === "file").map((entry) => [entry.path, entry]));
  if (input.dockerfilePath !== null && input.dockerfilePath !== "") {
    const path = insideMount(input.dockerfilePath, input.mountPath, contextDir);
    if (path === null) return `dockerfile_path "${input.dockerfilePath}" is not inside mount_path "${input.mountPath}"`;
    const entry = byPath.get(path);
    return entry === undefined ? `Dockerfile "${input.dockerfilePath}" not found in the build context` : { entry };
  }
  for (const name of ["Containerfile", "Dockerfile"]) {
    const entry = byPath.get(contextDir === "" ? name : `${contextDir}/${name}`);
    if (entry !== undefined) return { entry };
  }
  return "no Dockerfile: the context has neither a Containerfile nor a Dockerfile at its root, and no dockerfile_path was given";
}

/**
 * The archive path of `path`: absolute paths are taken inside `mountPath` (where the archive is
 * mounted), relative ones from `base`. Null when it leaves the mount.
 */
function insideMount(path: string, mountPath: string, base: string): string | null {
  // Both sides absolute, so posix.relative never consults the process's working directory.
  const mount = posix.normalize(`/${mountPath}`);
  const relative = path.startsWith("/") ? posix.relative(mount, posix.normalize(path)) : posix.normalize(posix.join(base, path));
  const clean = relative === "." ? "" : relative.replace(/\/+$/, "");
  if (clean === ".." || clean.startsWith("../") || clean.startsWith("/")) return null;
  return clean;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}
