// Reading the arguments of single Dockerfile instructions: leading `--flag[=value]` options, the
// JSON-array or whitespace form of COPY/ADD, FROM's `image AS name`, ARG/ENV definitions and
// `$VAR` / `${VAR}` / `${VAR:-default}` expansion. Pure.

export interface Flagged {
  flags: Map<string, string>;
  rest: string;
}

/** Leading `--name=value` / `--name` tokens (a bare flag has the value ""). */
export function splitFlags(args: string): Flagged {
  const flags = new Map<string, string>();
  let rest = args.trim();
  for (let match = /^--([A-Za-z][\w-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest); match !== null; match = /^--([A-Za-z][\w-]*)(?:=(\S*))?(?:\s+|$)/.exec(rest)) {
    flags.set(match[1] ?? "", match[2] ?? "");
    rest = rest.slice(match[0].length);
  }
  return { flags, rest };
}

/** `["a", "b"]` (JSON form) or whitespace-separated words. */
export function parseList(rest: string): string[] {
  const trimmed = rest.trim();
  if (trimmed.startsWith("[")) {
    try {
      const value: unknown = JSON.parse(trimmed);
      if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value as string[];
    } catch {
      // not JSON: BuildKit falls back to the shell form, and so do we
    }
  }
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

export interface FromArgs {
  image: string;
  stage: string | null;
}

/** `FROM [--platform=…] image [AS name]`; null when the form is wrong. */
export function parseFrom(args: string): FromArgs | null {
  const words = parseList(splitFlags(args).rest);
  if (words.length === 1) return { image: words[0] ?? "", stage: null };
  if (words.length === 3 && words[1]?.toUpperCase() === "AS") return { image: words[0] ?? "", stage: words[2] ?? null };
  return null;
}

/** `ARG name[=default]`, several per line allowed. A value of undefined means "declared, no default". */
export function parseArgDefinitions(args: string): [string, string | undefined][] {
  return parseList(args).map((word) => {
    const equals = word.indexOf("=");
    return equals === -1 ? [word, undefined] : [word.slice(0, equals), unquote(word.slice(equals + 1))];
  });
}

/** `ENV a=b c="d"` or the legacy `ENV name value with spaces`. */
export function parseEnvDefinitions(args: string): [string, string][] {
  const trimmed = args.trim();
  const first = trimmed.split(/\s+/)[0] ?? "";
  if (!first.includes("=")) {
    const space = trimmed.search(/\s/);
    return space === -1 ? [] : [[trimmed.slice(0, space), unquote(trimmed.slice(space + 1).trim())]];
  }
  const pairs: [string, string][] = [];
  for (const match of trimmed.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g)) pairs.push([match[1] ?? "", unquote(match[2] ?? "")]);
  return pairs;
}

/** Expands variables; null when a referenced variable has no known value. */
export function expandVariables(word: string, vars: ReadonlyMap<string, string | undefined>): string | null {
  let unknown = false;
  const expanded = word.replace(/\$(?:\{([A-Za-z_]\w*)(?::-([^}]*))?\}|([A-Za-z_]\w*))/g, (_all, braced?: string, fallback?: string, bare?: string) => {
    const value = vars.get(braced ?? bare ?? "");
    if (value !== undefined && value !== "") return value;
    if (fallback !== undefined) return fallback;
    if (value === "") return "";
    unknown = true;
    return "";
  });
  return unknown ? null : expanded;
}

function unquote(value: string): string {
  if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'")))) {
    return value.slice(1, -1);
  }
  return value;
}
