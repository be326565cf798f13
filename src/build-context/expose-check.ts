// EXPOSE entries that are not ports (`99999`, `abc`, `80/xyz`) in the final stage. The CLI's
// metadata parser skips them (dockerfile.ts restates it exactly), but BuildKit fails the build on
// them, so meshdeploy reports them before anything is sent. Entries naming a variable (`$PORT`,
// expanded by the builder) and ranges (`8000-8010`) are ports. Pure: no I/O.
import { dockerfileInstructions } from "./dockerfile.js";
import { ShlexError, shlexSplit } from "./shlex.js";

/** BuildKit's grammar: PORT or LOW-HIGH (1..65535), optionally /tcp, /udp or /sctp. */
export function isPortSpec(token: string): boolean {
  if (token.includes("$")) return true;
  const slash = token.indexOf("/");
  const portText = slash < 0 ? token : token.slice(0, slash);
  const protocol = slash < 0 ? "" : token.slice(slash + 1);
  if (!["", "tcp", "udp", "sctp"].includes(protocol.toLowerCase())) return false;
  const range = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(portText);
  if (range === null) return false;
  const low = Number(range[1]);
  const high = range[2] === undefined ? low : Number(range[2]);
  return low >= 1 && high <= 65535 && low <= high;
}

/** The final stage's EXPOSE tokens that are not ports, in order. */
export function invalidExposes(text: string): string[] {
  let found: string[] = [];
  for (const { instruction, args } of dockerfileInstructions(text)) {
    if (instruction === "FROM") found = [];
    if (instruction !== "EXPOSE") continue;
    let tokens: string[];
    try {
      tokens = shlexSplit(args);
    } catch (error) {
      if (error instanceof ShlexError) continue; // parseDockerfileMetadata reports the quoting
      throw error;
    }
    found.push(...tokens.filter((token) => !isPortSpec(token)));
  }
  return found;
}
