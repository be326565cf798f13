// Checks a parsed Dockerfile against the build context, instruction by instruction, and says
// honestly what was done with each: FROM/ARG/ENV/… are recorded, RUN is not executed, COPY/ADD
// sources (without --from) are looked up in the context. Returns one log line per instruction and
// the number of problems found (every instruction is checked, so all problems show at once). Pure.
import { posix } from "node:path";
import type { ContextIndex } from "./context-index.js";
import type { Instruction } from "./dockerfile.js";
import { expandVariables, parseArgDefinitions, parseEnvDefinitions, parseFrom, parseList, splitFlags } from "./instruction-args.js";

const KNOWN = new Set([
  "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
  "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
]);
const NOT_RUN = "not executed (the local room checks instructions; it does not run them)";

export interface InstructionReport {
  lines: string[];
  problems: number;
  stages: number;
}

export function checkInstructions(instructions: readonly Instruction[], context: ContextIndex, firstStep = 1): InstructionReport {
  const lines: string[] = [];
  let problems = 0;
  let stages = 0;
  const globalArgs = new Map<string, string | undefined>();
  let vars = new Map<string, string | undefined>();
  instructions.forEach((instruction, index) => {
    const step = `#${firstStep + index} ${instruction.keyword}${instruction.args === "" ? "" : ` ${shorten(instruction.args)}`}`;
    const fail = (why: string): void => {
      problems += 1;
      lines.push(`${step} — error: ${why} (Dockerfile line ${instruction.line})`);
    };
    if (!KNOWN.has(instruction.keyword)) return fail(`unknown instruction ${instruction.keyword}`);
    if (stages === 0 && instruction.keyword !== "FROM" && instruction.keyword !== "ARG") {
      return fail("no FROM before this instruction: a Dockerfile must start with FROM (only ARG may come first)");
    }
    switch (instruction.keyword) {
      case "FROM": {
        const from = parseFrom(instruction.args);
        if (from === null || from.image === "") return fail("expected FROM <image> [AS <name>]");
        stages += 1;
        vars = new Map();
        const image = expandVariables(from.image, globalArgs) ?? from.image;
        lines.push(`${step} — base image ${image} recorded (not pulled)`);
        return;
      }
      case "ARG":
        for (const [name, value] of parseArgDefinitions(instruction.args)) {
          if (stages === 0) globalArgs.set(name, value);
          else vars.set(name, value ?? globalArgs.get(name));
        }
        lines.push(`${step} — recorded`);
        return;
      case "ENV":
        for (const [name, value] of parseEnvDefinitions(instruction.args)) vars.set(name, expandVariables(value, vars) ?? value);
        lines.push(`${step} — recorded`);
        return;
      case "RUN":
        lines.push(`${step} — ${NOT_RUN}`);
        return;
      case "COPY":
      case "ADD": {
        const result = checkCopy(instruction, context, vars);
        if (typeof result === "string") lines.push(`${step} — ${result}`);
        else fail(result.error);
        return;
      }
      default:
        lines.push(`${step} — recorded`);
    }
  });
  return { lines, problems, stages };
}

/** The log text for a COPY/ADD, or the problem with it. */
function checkCopy(instruction: Instruction, context: ContextIndex, vars: ReadonlyMap<string, string | undefined>): string | { error: string } {
  const { flags, rest } = splitFlags(instruction.args);
  const from = flags.get("from");
  if (from !== undefined) return `not checked: copies from stage or image "${from}", not from the build context`;
  const words = parseList(rest);
  if (words.length < 2) return { error: `${instruction.keyword} needs at least one source and a destination` };
  let files = 0;
  const notes: string[] = [];
  for (const source of words.slice(0, -1)) {
    if (source.startsWith("<<")) {
      notes.push(`inline heredoc ${source.replace(/^<<-?/, "")}`);
      continue;
    }
    if (instruction.keyword === "ADD" && /^([a-z][a-z0-9+.-]*:\/\/|git@)/i.test(source)) {
      notes.push(`remote source ${source} not fetched`);
      continue;
    }
    const expanded = expandVariables(source, vars);
    if (expanded === null) {
      notes.push(`source ${source} not checked (uses a variable without a known value)`);
      continue;
    }
    const normalised = posix.normalize(`./${expanded.replace(/^\/+/, "")}`).replace(/\/+$/, "");
    if (normalised === ".." || normalised.startsWith("../")) return { error: `source "${source}" is outside the build context` };
    const match = context.match(normalised === "." ? "" : normalised);
    if (match.paths.length === 0) return { error: `source "${source}" not found in the build context` };
    files += match.files;
  }
  return `checked: ${files} ${files === 1 ? "file" : "files"}${notes.length === 0 ? "" : `; ${notes.join("; ")}`}`;
}

function shorten(args: string): string {
  const flat = args.replace(/\s+/g, " ");
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
