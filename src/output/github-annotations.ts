// Diagnostics → GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`), so a
// config error is shown on the line of the pull request that caused it. Values are escaped as the
// runner expects (data: % CR LF; properties also : and ,). Pure: returns lines.
import path from "node:path";
import type { Diagnostic } from "../diagnostic.js";

function escapeData(value: string): string {
  return value.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `workspace`: paths are shown relative to it (GitHub resolves annotation files against the checkout). */
export function githubAnnotation(diagnostic: Diagnostic, workspace: string, level: "error" | "warning" = "error"): string {
  const { file, line, column } = diagnostic.location;
  const relative = path.isAbsolute(file) ? path.relative(workspace, file).split(path.sep).join("/") : file;
  const message = diagnostic.hint === undefined ? diagnostic.message : `${diagnostic.message}\nhint: ${diagnostic.hint}`;
  const props = [`file=${escapeProperty(relative)}`, `line=${line}`, `col=${column}`, `title=${escapeProperty(`meshdeploy: ${diagnostic.rule}`)}`];
  return `::${level} ${props.join(",")}::${escapeData(message)}`;
}

export function githubAnnotations(diagnostics: readonly Diagnostic[], workspace: string, level: "error" | "warning" = "error"): string[] {
  return diagnostics.map((d) => githubAnnotation(d, workspace, level));
}
