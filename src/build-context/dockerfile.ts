// Dockerfile/Containerfile metadata as the MeshAgent 0.39.9 CLI reads it for `deploy PATH`
// (cli@0.39.9 image.py `_iter_dockerfile_instruction_lines`, `_parse_packed_dockerfile_metadata`):
// logical lines (backslash continuations joined, comments and blanks skipped between
// instructions), and for the final stage only: EXPOSE (tcp; udp dropped), VOLUME, LABEL, ENV,
// WORKDIR, ENTRYPOINT, CMD. This is not a full Dockerfile parser: no parser directives, no
// heredocs, no variable expansion — exactly what the CLI does. Pure: no I/O.
import { BuildContextError } from "./build-error.js";
import { parseAssignmentArgs, parseCommandTokens, parseVolumePaths, parseWorkdir } from "./dockerfile-args.js";
import { pyDigitsValue, pyIsDigit, pyRstrip, pySplitlines, pyStrip } from "./python-text.js";
import { ShlexError, shlexSplit } from "./shlex.js";


export interface DockerfileMetadata {
  /** EXPOSEd tcp ports, 1..65535, first-seen order, no duplicates. */
  exposedPorts: number[];
  /** VOLUME paths, normalised like `_normalize_container_path`, no duplicates. */
  volumes: string[];
  labels: Record<string, string>;
  entrypoint: string[] | null;
  command: string[] | null;
  /** ENV pairs in first-definition order (a later value replaces an earlier one in place). */
  environment: [string, string][];
  workingDir: string | null;
}

export interface Instruction {
  /** Upper-cased keyword. */
  instruction: string;
  args: string;
}

/** `_iter_dockerfile_instruction_lines`. */
export function dockerfileInstructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let parts: string[] = [];
  for (const raw of pySplitlines(text)) {
    const stripped = pyStrip(raw);
    if (parts.length === 0 && (stripped === "" || stripped.startsWith("#"))) continue;
    let part = pyRstrip(raw);
    const continues = part.endsWith("\\");
    if (continues) part = pyRstrip(part.slice(0, -1));
    parts.push(pyStrip(part));
    if (continues) continue;
    const logical = parts.filter((p) => p !== "").join(" ");
    parts = [];
    if (logical === "") continue;
    const space = logical.indexOf(" ");
    const keyword = space < 0 ? logical : logical.slice(0, space);
    out.push({ instruction: keyword.toUpperCase(), args: space < 0 ? "" : pyStrip(logical.slice(space + 1)) });
  }
  return out;
}

/** `_parse_packed_dockerfile_metadata` on the Dockerfile's text. */
export function parseDockerfileMetadata(text: string): DockerfileMetadata {
  let stage = emptyStage();
  let sawFrom = false;
  for (const { instruction, args } of dockerfileInstructions(text)) {
    if (instruction === "FROM") {
      sawFrom = true;
      stage = emptyStage();
      continue;
    }
    if (!sawFrom) continue;
    try {
      applyInstruction(stage, instruction, args);
    } catch (error) {
      if (!(error instanceof ShlexError)) throw error;
      throw new BuildContextError("dockerfile-metadata", `Dockerfile ${instruction} ${args}: ${error.message}`, {
        hint: "Fix the quoting; `meshagent deploy` fails on this line too.",
        cause: error,
      });
    }
  }
  return {
    exposedPorts: stage.exposedPorts,
    volumes: stage.volumes,
    labels: Object.fromEntries(stage.labels),
    entrypoint: stage.entrypoint,
    command: stage.command,
    environment: [...stage.environment],
    workingDir: stage.workingDir,
  };
}

interface Stage {
  exposedPorts: number[];
  volumes: string[];
  labels: Map<string, string>;
  entrypoint: string[] | null;
  command: string[] | null;
  environment: Map<string, string>;
  workingDir: string | null;
}

function emptyStage(): Stage {
  return { exposedPorts: [], volumes: [], labels: new Map(), entrypoint: null, command: null, environment: new Map(), workingDir: null };
}

function applyInstruction(stage: Stage, instruction: string, args: string): void {
  switch (instruction) {
    case "EXPOSE":
      for (const token of shlexSplit(args)) {
        const slash = token.indexOf("/");
        const portText = slash < 0 ? token : token.slice(0, slash);
        const protocol = slash < 0 ? "" : token.slice(slash + 1);
        if (protocol !== "" && protocol.toLowerCase() === "udp") continue;
        if (!pyIsDigit(portText)) continue;
        const port = pyDigitsValue(portText);
        if (port === null) {
          throw new BuildContextError("dockerfile-metadata", `Dockerfile EXPOSE ${args}: invalid literal for int() with base 10: '${portText}'`);
        }
        if (port < 1 || port > 65535 || stage.exposedPorts.includes(port)) continue;
        stage.exposedPorts.push(port);
      }
      return;
    case "VOLUME":
      for (const p of parseVolumePaths(args)) if (!stage.volumes.includes(p)) stage.volumes.push(p);
      return;
    case "LABEL":
      for (const [key, value] of parseAssignmentArgs(args)) stage.labels.set(key, value);
      return;
    case "ENV":
      for (const [key, value] of parseAssignmentArgs(args)) stage.environment.set(key, value);
      return;
    case "WORKDIR":
      stage.workingDir = parseWorkdir(args, stage.workingDir);
      return;
    case "ENTRYPOINT":
      stage.entrypoint = parseCommandTokens(args);
      return;
    case "CMD":
      stage.command = parseCommandTokens(args);
      return;
    default:
      return;
  }
}
