// The argument parsers of the MeshAgent 0.39.9 CLI's Dockerfile metadata reader (cli@0.39.9
// image.py `_parse_dockerfile_assignment_args`, `_parse_dockerfile_command_tokens`,
// `_normalize_container_path`, `_parse_dockerfile_volume_paths`, `_parse_dockerfile_workdir`).
// Pure: no I/O. Throws ShlexError where the CLI's shlex.split raises.
import { pyNormpath, pyStrip } from "./python-text.js";
import { shlexSplit } from "./shlex.js";

/** `LABEL`/`ENV` arguments: `KEY VALUE` (two tokens, no "=") or `K=V` pairs; bad tokens dropped. */
export function parseAssignmentArgs(args: string): [string, string][] {
  const tokens = shlexSplit(args);
  const [first, second] = tokens;
  if (tokens.length === 2 && first !== undefined && second !== undefined && !first.includes("=")) {
    const key = pyStrip(first);
    return key === "" ? [] : [[key, second]];
  }
  const pairs: [string, string][] = [];
  for (const token of tokens) {
    const eq = token.indexOf("=");
    if (eq < 0) continue;
    const key = pyStrip(token.slice(0, eq));
    if (key === "") continue;
    pairs.push([key, token.slice(eq + 1)]);
  }
  return pairs;
}

/** A JSON array of strings, as Python's `json.loads` would accept it, or null. */
function jsonStringArray(text: string): string[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return Array.isArray(parsed) && parsed.every((v) => typeof v === "string") ? (parsed as string[]) : null;
}

/** `ENTRYPOINT`/`CMD`: exec form (JSON array of strings) or shell words; null when empty. */
export function parseCommandTokens(args: string): string[] | null {
  const stripped = pyStrip(args);
  if (stripped === "") return null;
  if (stripped.startsWith("[")) {
    const json = jsonStringArray(stripped);
    if (json !== null) return json;
  }
  const tokens = shlexSplit(stripped);
  return tokens.length > 0 ? tokens : null;
}

/** `_normalize_container_path`: strip, then posixpath.normpath; "" stays "". */
export function normalizeContainerPath(p: string): string {
  const cleaned = pyStrip(p);
  return cleaned === "" ? "" : pyNormpath(cleaned);
}

/** `VOLUME` arguments (JSON or plain form) → normalised, de-duplicated paths. */
export function parseVolumePaths(args: string): string[] {
  const stripped = pyStrip(args);
  if (stripped === "") return [];
  const raw = (stripped.startsWith("[") ? jsonStringArray(stripped) : null) ?? shlexSplit(stripped);
  const out: string[] = [];
  for (const p of raw) {
    const normalized = normalizeContainerPath(p);
    if (normalized !== "" && !out.includes(normalized)) out.push(normalized);
  }
  return out;
}

/** `WORKDIR`: absolute resets, relative joins onto the current one (or "/"). */
export function parseWorkdir(args: string, current: string | null): string | null {
  const [next] = shlexSplit(args);
  if (next === undefined) return current;
  if (next.startsWith("/")) return pyNormpath(next);
  const base = current === null || current === "" ? "/" : current;
  return pyNormpath(joinPosix(base, next));
}

/** `posixpath.join(a, b)` for a relative `b`. */
function joinPosix(a: string, b: string): string {
  return a.endsWith("/") ? a + b : `${a}/${b}`;
}
