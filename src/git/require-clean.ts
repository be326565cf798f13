// `--require-clean`: refuse to plan or apply from a work tree with uncommitted changes, naming
// them, so what is deployed is exactly a commit. Outside a git tree there is no commit to name,
// which is refused too.
import path from "node:path";
import { MeshdeployError } from "../errors.js";
import type { ProvenanceResult } from "./provenance.js";

const MAX_LISTED = 20;

/** `ignore`: absolute paths that do not count (the saved plan being applied lives in the tree). */
export function requireClean(result: ProvenanceResult, ignore: readonly string[] = []): void {
  if (!result.ok) {
    throw new MeshdeployError("E_GIT", `--require-clean: ${result.reason}`, { hint: "run from a git checkout, or drop --require-clean" });
  }
  const { root } = result.provenance;
  const ignored = new Set(ignore.map((file) => path.relative(root, file).split(path.sep).join("/")));
  const dirtyFiles = result.provenance.dirtyFiles.filter((line) => !ignored.has(line.slice(3)));
  if (dirtyFiles.length === 0) return;
  const shown = dirtyFiles.slice(0, MAX_LISTED).map((f) => `  ${f}`);
  const more = dirtyFiles.length > MAX_LISTED ? [`  … and ${dirtyFiles.length - MAX_LISTED} more`] : [];
  const n = dirtyFiles.length;
  throw new MeshdeployError("E_DIRTY", [`--require-clean: the work tree at ${root} has ${n} uncommitted change${n === 1 ? "" : "s"}; nothing was changed:`, ...shown, ...more].join("\n"), {
    hint: "commit (or stash) them and run again, or drop --require-clean",
  });
}
