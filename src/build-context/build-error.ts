// The one error type of src/build: a build context that cannot be packed the way
// `meshagent build PATH` would pack it. Carries a `reason` so callers (and tests) can tell the
// cases apart without parsing text. Must not: print, exit or decide exit codes.
import { MeshdeployError } from "../errors.js";

export type BuildContextReason =
  | "unsupported-entry" // a FIFO, socket or device inside the context
  | "outside-context" // a path that would make us read outside the context directory
  | "changed" // a file changed between the walk and the moment it was read
  | "encoding" // a name, link target, Dockerfile or .dockerignore that is not UTF-8
  | "dockerignore" // a .dockerignore line pathspec would refuse
  | "dockerfile" // no Dockerfile/Containerfile, or one the CLI would reject
  | "dockerfile-metadata" // Dockerfile text the CLI's metadata parser would reject
  | "volume-mounts" // a Dockerfile VOLUME with no matching service mount
  | "not-a-directory"; // the context path is not a directory

export class BuildContextError extends MeshdeployError {
  readonly reason: BuildContextReason;
  /** The absolute path the error is about, when there is one. */
  readonly path: string | undefined;
  constructor(reason: BuildContextReason, message: string, options: { path?: string; hint?: string; cause?: unknown } = {}) {
    super("E_BUILD", message, { ...(options.hint === undefined ? {} : { hint: options.hint }), cause: options.cause });
    this.name = "BuildContextError";
    this.reason = reason;
    this.path = options.path;
  }
}
