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
    if (!(await isFile(abs))) {
      throw new BuildContextError("dockerfile", `packed Dockerfile does not exist locally: ${abs}`, { path: abs });
    }
    return location(root, path.relative(root, abs).split(path.sep).join("/"));
  }
  for (const name of ["Containerfile", "Dockerfile"]) {
    if (await isFile(path.join(root, name))) return location(root, name);
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

/** Python's `Path.is_file()`: follows symlinks, false on any error. */
async function isFile(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isFile(), () => false);
}
