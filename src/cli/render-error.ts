// An error → the lines printed on stderr: code frames for config errors, the message and a
// hint for meshdeploy errors, and a short "unexpected error" for bugs (with the stack only
// when MESHDEPLOY_DEBUG is set). The caller redacts. Sources for code frames are read with the
// config reader's checks (never a FIFO, a device or a file past the cap).
import { renderCodeFrame } from "../config/code-frame.js";
import { readConfigSource } from "../config/config-file.js";
import { ConfigError, isMeshdeployError, PlanProblemsError } from "../errors.js";
import { styleFor } from "../output/style.js";

/** `changes`: false for a command that never changes anything (validate): no "nothing was changed". */
export async function renderError(error: unknown, useColour: boolean, options: { changes?: boolean } = {}): Promise<string[]> {
  const style = styleFor(useColour);
  if (error instanceof ConfigError) {
    const sources = new Map<string, string | null>();
    const lines: string[] = [];
    for (const d of error.diagnostics) {
      // A file that cannot be read (missing, a directory) has no line to point at.
      if (d.rule === "file") {
        lines.push(style.red(`error: ${d.message}`), ...(d.hint ? [`  = hint: ${d.hint}`] : []), "");
        continue;
      }
      if (!sources.has(d.location.file)) sources.set(d.location.file, await readConfigSource(d.location.file));
      lines.push(...renderCodeFrame(d, sources.get(d.location.file) ?? null).map((l, i) => (i === 0 ? style.red(l) : l)), "");
    }
    const n = error.diagnostics.length;
    lines.push(style.red(`${n} error${n === 1 ? "" : "s"} in the configuration${options.changes === false ? "." : "; nothing was changed."}`));
    return lines;
  }
  // The human plan listed and counted its problems just above: saying it again would be noise.
  if (error instanceof PlanProblemsError && error.shown) return [];
  if (isMeshdeployError(error)) {
    return [style.red(`error: ${error.message}`), ...(error.hint ? [style.dim(`  hint: ${error.hint}`)] : [])];
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = process.env["MESHDEPLOY_DEBUG"] && error instanceof Error && error.stack ? [error.stack] : [];
  return [style.red(`error: unexpected failure: ${message}`), ...stack, style.dim("  this is a bug in meshdeploy; set MESHDEPLOY_DEBUG=1 for details")];
}
