// Config errors → Markdown for the GitHub step summary, so a run that stopped at the config says
// why on the run's page, not only in the log and the line annotations. Paths relative to the
// workspace, as the annotations. Pure: returns lines.
import path from "node:path";
import type { Diagnostic } from "../diagnostic.js";
import { code, text } from "./markdown.js";

export function renderConfigErrorMarkdown(command: string, diagnostics: readonly Diagnostic[], workspace: string): string[] {
  const n = diagnostics.length;
  const items = diagnostics.map((d) => {
    const { file, line, column } = d.location;
    const shown = path.isAbsolute(file) ? path.relative(workspace, file).split(path.sep).join("/") : file;
    return `- ${code(`${shown}:${line}:${column}`)} ${text(d.message)}${d.hint === undefined ? "" : ` — hint: ${text(d.hint)}`}`;
  });
  return [`### ${text(`meshdeploy ${command}`)}`, "", `**${n} error${n === 1 ? "" : "s"} in the configuration; nothing was changed.**`, "", ...items];
}
