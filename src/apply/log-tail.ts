// How log lines appear inside an error message: the same quoted block for a failed build and for a
// container that crashed before it was live. Pure; the lines come from the room.

/** `<timestamp> stdout|stderr F|P ` — the CLI strips CRI prefixes when it prints logs. */
const CRI_PREFIX = /^\S+ (?:stdout|stderr) [FP] /;

export function stripCriPrefix(line: string): string {
  return line.replace(CRI_PREFIX, "");
}

/** Each line indented and quoted, `    | line`, to follow a one-line headline. */
export function quotedLines(lines: readonly string[]): string[] {
  return lines.map((line) => `    | ${line}`);
}
