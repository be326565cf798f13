// A command's failure → what the user sees and the exit code: the error on stderr (code frames,
// message and hint), GitHub annotations under Actions, the JSON document for `--output json`, the
// step summary for a config error. Imported by run.ts only when something failed.
import type { CommandContext } from "./commands/context.js";
import { ConfigError, PlanProblemsError, UsageError } from "../errors.js";
import { githubAnnotations } from "../output/github-annotations.js";
import { renderConfigErrorMarkdown } from "../output/render-config-error-markdown.js";
import { diagnosticsToJson, errorToJson } from "../output/render-json.js";
import { EXIT } from "./exit-codes.js";
import { renderError } from "./render-error.js";


export async function reportFailure(error: unknown, argv: string[], ctx: CommandContext): Promise<number> {
  const { io } = ctx;
  for (const line of await renderError(error, io.colour, { changes: argv[0] !== "validate" })) io.err(ctx.redactor.redact(line));
  // Under GitHub Actions config errors and located plan problems also become annotations on the offending line.
  // With `--output json` stdout must stay exactly one JSON document, so they go to stderr: the runner
  // reads workflow commands from both streams (actions/runner ScriptHandler gives each its OutputManager).
  if ((error instanceof ConfigError || error instanceof PlanProblemsError) && io.env["GITHUB_ACTIONS"] === "true") {
    const annotate = ctx.jsonWritten || wantsJson(argv) ? io.err : io.out;
    for (const line of githubAnnotations(error.diagnostics, io.env["GITHUB_WORKSPACE"] || io.cwd)) annotate(ctx.redactor.redact(line));
  }
  // `--output json`: the failure is a JSON document on stdout too (unless one was written already).
  if (!ctx.jsonWritten && argv[0] !== undefined && !(error instanceof UsageError) && wantsJson(argv)) {
    const doc = error instanceof ConfigError ? diagnosticsToJson(argv[0], error.diagnostics, io.cwd) : errorToJson(argv[0], error as Error & { code?: string; hint?: string });
    io.out(ctx.redactor.redact(JSON.stringify(doc, null, 2)));
  }
  if (error instanceof ConfigError && argv[0] !== undefined) {
    const { appendStepSummary } = await import("./commands/step-summary.js");
    await appendStepSummary(ctx, renderConfigErrorMarkdown(argv[0], error.diagnostics, io.env["GITHUB_WORKSPACE"] || io.cwd));
  }
  return (error as { code?: string }).code === "E_INTERRUPTED" ? EXIT.interrupted : EXIT.error;
}

/** validate, plan or apply asked for `--output json` (`-o json`, `--output=json`). */
function wantsJson(argv: string[]): boolean {
  if (!["validate", "plan", "apply"].includes(argv[0] ?? "")) return false;
  return argv.some((a, i) => a === "--output=json" || a === "-ojson" || ((a === "--output" || a === "-o") && argv[i + 1] === "json"));
}
