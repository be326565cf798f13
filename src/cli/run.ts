// runCli(argv, io) → exit code. The only place errors become exit codes: 0 success or no
// changes, 1 error, 2 changes present (plan --detailed-exitcode), 130 interrupted.
// Commands are imported when they run, so `--version` and `--help` load none of their
// dependencies (the official room client, the local room, git, the HTTP client, yaml, ajv).
import type { CommandContext } from "./commands/context.js";
import { MESHDEPLOY_VERSION } from "../version.js";
import { ConfigError, PlanProblemsError, UsageError } from "../errors.js";
import { githubAnnotations } from "../output/github-annotations.js";
import { Redactor } from "../output/redact.js";
import { renderConfigErrorMarkdown } from "../output/render-config-error-markdown.js";
import { diagnosticsToJson, errorToJson } from "../output/render-json.js";
import { didYouMean } from "../config/did-you-mean.js";
import { commandList, completionScript, SHELLS, type Shell } from "./completion.js";
import { commandHelp, overview } from "./help.js";
import { schemaCommand } from "./commands/schema.js";
import type { Io } from "./io.js";
import { parseCommand, targetOptions } from "./parse.js";
import type { Parsed } from "./flags/common.js";
import { localFlags } from "./flags/local.js";
import { importFlags, initFlags, logsFlags, secretFlags, statusFlags, validateFlags } from "./flags/manage.js";
import { applyFlags, destroyFlags, planFlags, watchFlags } from "./flags/reconcile.js";
import { syncFlags } from "./flags/sync.js";
import { renderError } from "./render-error.js";
import { terminalSafe } from "../printable.js";

export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

export async function runCli(argv: string[], rawIo: Io): Promise<number> {
  const io = safeIo(rawIo);
  const ctx: CommandContext = { io, redactor: new Redactor() };
  for (const name of ["MESHAGENT_API_KEY", "MESHAGENT_TOKEN"]) ctx.redactor.add(io.env[name]);
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
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
}

/** validate, plan or apply asked for `--output json` (`-o json`, `--output=json`). */
function wantsJson(argv: string[]): boolean {
  if (!["validate", "plan", "apply"].includes(argv[0] ?? "")) return false;
  return argv.some((a, i) => a === "--output=json" || a === "-ojson" || ((a === "--output" || a === "-o") && argv[i + 1] === "json"));
}

/** Every line printed (and every question asked) with control bytes escaped: see printable.ts. */
function safeIo(io: Io): Io {
  return {
    ...io,
    out: (line) => io.out(terminalSafe(line, io.colour)),
    err: (line) => io.err(terminalSafe(line, io.colour)),
    confirm: (question) => io.confirm(terminalSafe(question, io.colour)),
  };
}

async function dispatch(argv: string[], ctx: CommandContext): Promise<number> {
  const [command, ...rest] = argv;
  const help = (name: string): number => {
    ctx.io.out(commandHelp[name] ?? overview);
    return EXIT.ok;
  };
  /** A command's parsed flags run it (imported only now), or print its help. */
  const run = <A>(name: string, parsed: Parsed<A>, command: (args: A) => Promise<number>): Promise<number> | number => (parsed === "help" ? help(name) : command(parsed));
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      return help(rest[0] ?? "");
    case "--version":
    case "-v":
    case "-V":
    case "version":
      ctx.io.out(`meshdeploy ${MESHDEPLOY_VERSION}`);
      return EXIT.ok;
    case "validate": return run("validate", validateFlags(rest), async (args) => (await import("./commands/validate.js")).validateCommand(args, ctx));
    case "plan": return run("plan", planFlags(rest), async (args) => (await import("./commands/plan.js")).planCommand(args, ctx));
    case "apply": return run("apply", applyFlags(rest), async (args) => (await import("./commands/apply.js")).applyCommand(args, ctx));
    case "watch": return run("watch", watchFlags(rest), async (args) => (await import("./commands/watch.js")).watchCommand(args, ctx));
    case "destroy": return run("destroy", destroyFlags(rest), async (args) => (await import("./commands/destroy.js")).destroyCommand(args, ctx));
    case "sync": return run("sync", syncFlags(rest), async (args) => (await import("./commands/sync.js")).syncCommand(args, ctx));
    case "status": return run("status", statusFlags(rest), async (args) => (await import("./commands/status.js")).statusCommand(args, ctx));
    case "logs": return run("logs", logsFlags(rest), async (args) => (await import("./commands/logs.js")).logsCommand(args, ctx));
    case "init": return run("init", initFlags(rest), async (args) => (await import("./commands/init.js")).initCommand(args, ctx));
    case "import": return run("import", importFlags(rest), async (args) => (await import("./commands/import.js")).importCommand(args, ctx));
    case "secret": return run("secret", secretFlags(rest), async (args) => (await import("./commands/secret.js")).secretCommand(args, ctx));
    case "local": return run("local serve", localFlags(rest), async (args) => (await import("./commands/local-serve.js")).localServeCommand(args, ctx));
    case "schema": {
      const { values } = parseCommand("schema", rest, { help: targetOptions.help });
      return values.help ? help("schema") : schemaCommand(ctx);
    }
    case "completion": {
      const [shell, ...more] = rest;
      if (shell === "--help" || shell === "-h") return help("completion");
      if (shell === undefined || !(SHELLS as readonly string[]).includes(shell) || more.length > 0) {
        throw new UsageError(`completion: expected one of ${SHELLS.join(", ")}${shell === undefined ? "" : `, got "${[shell, ...more].join(" ")}"`}`, "e.g. source <(meshdeploy completion bash)");
      }
      ctx.io.out(completionScript(shell as Shell).trimEnd());
      return EXIT.ok;
    }
    default: {
      const close = command.startsWith("-") ? null : didYouMean(command, commandList().map((c) => c.name));
      throw new UsageError(`unknown command: ${command}`, close === null ? "run `meshdeploy --help` for the list of commands" : `did you mean \`meshdeploy ${close}\`?`);
    }
  }
}
