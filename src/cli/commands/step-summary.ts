// GitHub Actions step summaries: when GITHUB_STEP_SUMMARY names a file, plan and apply append
// their Markdown there (redacted like every printed line). A summary that cannot be written is a
// warning, never a failed deploy.
import { appendFile } from "node:fs/promises";
import type { CommandContext } from "./context.js";

/** `lines` may be a function: the Markdown is then rendered only when a summary is wanted. */
export async function appendStepSummary(ctx: CommandContext, lines: readonly string[] | (() => readonly string[])): Promise<void> {
  const file = ctx.io.env["GITHUB_STEP_SUMMARY"];
  if (file === undefined || file.trim() === "") return;
  try {
    const rendered = typeof lines === "function" ? lines() : lines;
    await appendFile(file, `${ctx.redactor.redact(rendered.join("\n"))}\n\n`);
  } catch (error) {
    ctx.io.err(`warning: could not append to GITHUB_STEP_SUMMARY (${error instanceof Error ? error.message : String(error)})`);
  }
}
