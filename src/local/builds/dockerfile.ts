// Splits a Dockerfile into instructions: parser directives (`# escape=`), comments, line
// continuations (comment and blank lines inside a continuation are dropped, as BuildKit does)
// and heredoc bodies (`RUN <<EOF … EOF`). Purely syntactic: whether a keyword exists or a COPY
// source is present is the checker's job. Pure.

export interface Instruction {
  /** Upper-cased, e.g. "COPY". */
  keyword: string;
  /** Everything after the keyword, continuation lines appended as they are. */
  args: string;
  /** 1-based line of the instruction's first line. */
  line: number;
  /** Heredoc bodies attached to the instruction, by name. */
  heredocs: { name: string; body: string }[];
}

export class DockerfileError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "DockerfileError";
    this.line = line;
  }
}

const DIRECTIVE = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const escape = readEscapeDirective(lines);
  const instructions: Instruction[] = [];
  let index = 0;
  const isSkippable = (line: string): boolean => line.trim() === "" || line.trimStart().startsWith("#");
  while (index < lines.length) {
    const first = lines[index] ?? "";
    index += 1;
    if (isSkippable(first)) continue;
    const start = index;
    let logical = first;
    while (endsWithEscape(logical, escape)) {
      // Like BuildKit: the escape and the line break go, the next line is appended as it is.
      logical = logical.trimEnd().slice(0, -1);
      while (index < lines.length && isSkippable(lines[index] ?? "")) index += 1;
      if (index >= lines.length) break;
      logical += lines[index] ?? "";
      index += 1;
    }
    const trimmed = logical.trim();
    const space = trimmed.search(/\s/);
    const keyword = (space === -1 ? trimmed : trimmed.slice(0, space)).toUpperCase();
    const args = space === -1 ? "" : trimmed.slice(space + 1).trim();
    const heredocs: Instruction["heredocs"] = [];
    if (keyword === "RUN" || keyword === "COPY" || keyword === "ADD") {
      for (const match of args.matchAll(HEREDOC)) {
        const name = match[3] ?? "";
        const stripTabs = match[1] === "-";
        const body: string[] = [];
        for (;;) {
          if (index >= lines.length) throw new DockerfileError(start, `heredoc <<${name} is not terminated by a line "${name}"`);
          const line = lines[index] ?? "";
          index += 1;
          const candidate = stripTabs ? line.replace(/^\t+/, "") : line;
          if (candidate === name) break;
          body.push(candidate);
        }
        heredocs.push({ name, body: body.join("\n") });
      }
    }
    instructions.push({ keyword, args, line: start, heredocs });
  }
  return instructions;
}

/** `# escape=` among the leading parser directives; the default escape character is "\". */
function readEscapeDirective(lines: readonly string[]): string {
  let escape = "\\";
  for (const line of lines) {
    const match = DIRECTIVE.exec(line);
    if (match === null) break;
    if (match[1]?.toLowerCase() === "escape") {
      if (match[2] !== "\\" && match[2] !== "`") throw new DockerfileError(lines.indexOf(line) + 1, `invalid escape directive "${match[2] ?? ""}": use \\ or \``);
      escape = match[2];
    }
  }
  return escape;
}

function endsWithEscape(line: string, escape: string): boolean {
  return line.trimEnd().endsWith(escape);
}
