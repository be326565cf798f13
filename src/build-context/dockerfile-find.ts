// Which file in a build context is the Dockerfile (cli@0.39.9 image.py
// `_infer_packed_dockerfile_path`: `Containerfile`, then `Dockerfile`, in the context root) and
// reading it (`_read_packed_dockerfile_text`: strict UTF-8). An explicit choice is a path relative
// to the context, like `-f` in later CLIs. Must not: parse the Dockerfile or walk the context.
import { stat } from "node:fs/promises";
import path from "node:path";
import { BuildContextError } from "./build-error.js";
import { isInside, readContextText, resolveContextRoot } from "./context-read.js";

/** Where the CLI mounts the context in the builder. */
export const CONTEXT_MOUNT_PATH = "/context";

export interface DockerfileLocation {
  /** POSIX path relative to the context root. */
  relativePath: string;
  absolutePath: string;
  /** The path the build call names (`dockerfile_path`), e.g. "/context/Dockerfile". */
  mountedPath: string;
}

export async function findDockerfile(contextDir: string, explicit?: string): Promise<DockerfileLocation> {
  const root = await resolveContextRoot(contextDir);
  if (explicit !== undefined) {
    const abs = path.resolve(root, explicit);
    if (!isInside(root, abs) || abs === root) {
      throw new BuildContextError("dockerfile", `the Dockerfile ${explicit} is not inside the build context ${root}`, {
        path: abs,
        hint: "Name a file inside the context directory, relative to it.",
      });
    }
    const kind = await fileKind(abs);
    if (kind === "missing") throw new BuildContextError("dockerfile", `packed Dockerfile does not exist locally: ${abs}`, { path: abs });
    if (kind !== "file") throw new BuildContextError("dockerfile", `the Dockerfile ${abs} is ${kind}, not a regular file`, { path: abs, hint: "Name a regular file (a FIFO or a device would never end, or block the build)." });
    return location(root, path.relative(root, abs).split(path.sep).join("/"));
  }
  for (const name of ["Containerfile", "Dockerfile"]) {
    const kind = await fileKind(path.join(root, name));
    if (kind === "file") return location(root, name);
    // The CLI skips it (Path.is_file() is false) and reports no Dockerfile; saying what it is helps.
    if (kind !== "missing") {
      throw new BuildContextError("dockerfile", `the ${name} in ${root} is ${kind}, not a regular file`, { path: path.join(root, name), hint: "Replace it with the Dockerfile itself." });
    }
  }
  throw new BuildContextError("dockerfile", `no Dockerfile or Containerfile found in the packed context ${root}`, {
    path: root,
    hint: "Add a Dockerfile (or Containerfile) to the context root, or name the one to use.",
  });
}

/** The Dockerfile's text; refuses one that resolves outside the context. */
export async function readDockerfileText(contextRoot: string, dockerfile: DockerfileLocation): Promise<string> {
  return readContextText(await resolveContextRoot(contextRoot), dockerfile.relativePath);
}

function location(root: string, relativePath: string): DockerfileLocation {
  return { relativePath, absolutePath: path.join(root, relativePath), mountedPath: path.posix.join(CONTEXT_MOUNT_PATH, relativePath) };
}

/** What `p` is, following symlinks (Python's `Path.is_file()` is `kind === "file"`). */
async function fileKind(p: string): Promise<"file" | "missing" | string> {
  const st = await stat(p).catch(() => null);
  if (st === null) return "missing";
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}
