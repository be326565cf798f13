// runCli(argv, io) → exit code. The only place errors become exit codes: 0 success or no
// changes, 1 error, 2 changes present (plan --detailed-exitcode), 130 interrupted.
import { applyCommand } from "./commands/apply.js";
import type { CommandContext } from "./commands/context.js";
import { localServeCommand } from "./commands/local-serve.js";
import { MESHDEPLOY_VERSION } from "../version.js";
import { planCommand } from "./commands/plan.js";
import { appendStepSummary } from "./commands/step-summary.js";
import { syncCommand } from "./commands/sync.js";
import { validateCommand } from "./commands/validate.js";
import { watchCommand } from "./commands/watch.js";
import { didYouMean } from "../config/did-you-mean.js";
import { ConfigError, PlanProblemsError, UsageError } from "../errors.js";
import { githubAnnotations } from "../output/github-annotations.js";
import { Redactor } from "../output/redact.js";
import { renderConfigErrorMarkdown } from "../output/render-config-error-markdown.js";
import { commandHelp, overview } from "./help.js";
import type { Io } from "./io.js";
import { parseCommand, parseCommandWithOperands, portNumber, positiveInt, targetOptions } from "./parse.js";
import { renderError } from "./render-error.js";

export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

export async function runCli(argv: string[], io: Io): Promise<number> {
  const ctx: CommandContext = { io, redactor: new Redactor() };
  for (const name of ["MESHAGENT_API_KEY", "MESHAGENT_TOKEN"]) ctx.redactor.add(io.env[name]);
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
    for (const line of await renderError(error, io.colour, { changes: argv[0] !== "validate" })) io.err(ctx.redactor.redact(line));
    // Under GitHub Actions config errors and located plan problems also become annotations on the offending line.
    if ((error instanceof ConfigError || error instanceof PlanProblemsError) && io.env["GITHUB_ACTIONS"] === "true") {
      for (const line of githubAnnotations(error.diagnostics, io.env["GITHUB_WORKSPACE"] || io.cwd)) io.out(ctx.redactor.redact(line));
    }
    if (error instanceof ConfigError && argv[0] !== undefined) {
      await appendStepSummary(ctx, renderConfigErrorMarkdown(argv[0], error.diagnostics, io.env["GITHUB_WORKSPACE"] || io.cwd));
    }
    return (error as { code?: string }).code === "E_INTERRUPTED" ? EXIT.interrupted : EXIT.error;
  }
}

async function dispatch(argv: string[], ctx: CommandContext): Promise<number> {
  const [command, ...rest] = argv;
  const help = (name: string): number => {
    ctx.io.out(commandHelp[name] ?? overview);
    return EXIT.ok;
  };
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      return help(rest[0] ?? "");
    case "--version":
    case "version":
      ctx.io.out(`meshdeploy ${MESHDEPLOY_VERSION}`);
      return EXIT.ok;
    case "validate": {
      const { values } = parseCommand("validate", rest, { file: targetOptions.file, help: targetOptions.help });
      return values.help ? help("validate") : validateCommand({ file: values.file }, ctx);
    }
    case "plan": {
      const { values } = parseCommand("plan", rest, {
        ...targetOptions,
        "detailed-exitcode": { type: "boolean" },
        output: { type: "string", short: "o" },
        prune: { type: "boolean" },
        verbose: { type: "boolean", short: "v" },
        faults: { type: "string" },
        out: { type: "string" },
        "require-clean": { type: "boolean" },
      });
      if (values.help) return help("plan");
      return planCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          detailedExitcode: values["detailed-exitcode"] ?? false,
          output: values.output ?? "human",
          prune: values.prune ?? false,
          verbose: values.verbose ?? false,
          faults: values.faults,
          out: values.out,
          requireClean: values["require-clean"] ?? false,
        },
        ctx,
      );
    }
    case "apply": {
      const { values, positionals } = parseCommandWithOperands("apply", rest, {
        ...targetOptions,
        prune: { type: "boolean" },
        yes: { type: "boolean", short: "y" },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
        faults: { type: "string" },
        "require-clean": { type: "boolean" },
      }, 1);
      if (values.help) return help("apply");
      return applyCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          prune: values.prune ?? false,
          yes: values.yes ?? false,
          concurrency: positiveInt("apply", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("apply", "wait-timeout", values["wait-timeout"], 300),
          faults: values.faults,
          planFile: positionals[0],
          requireClean: values["require-clean"] ?? false,
        },
        ctx,
      );
    }
    case "sync": {
      const { values } = parseCommand("sync", rest, {
        local: targetOptions.local,
        "api-url": targetOptions["api-url"],
        platform: targetOptions.platform,
        help: targetOptions.help,
        repo: { type: "string" },
        ref: { type: "string" },
        path: { type: "string" },
        interval: { type: "string" },
        once: { type: "boolean" },
        prune: { type: "boolean" },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
        faults: { type: "string" },
      });
      if (values.help) return help("sync");
      if (values.repo === undefined) throw new UsageError("sync: --repo URL is required", "e.g. meshdeploy sync --repo https://github.com/acme/deploy.git --ref main");
      return syncCommand(
        {
          repo: values.repo,
          ref: values.ref,
          path: values.path ?? ".meshdeploy.yaml",
          intervalSeconds: positiveInt("sync", "interval", values.interval, 60),
          once: values.once ?? false,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          prune: values.prune ?? false,
          concurrency: positiveInt("sync", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("sync", "wait-timeout", values["wait-timeout"], 300),
          faults: values.faults,
        },
        ctx,
      );
    }
    case "watch": {
      const { values } = parseCommand("watch", rest, {
        ...targetOptions,
        debounce: { type: "string" },
        prune: { type: "boolean" },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
        faults: { type: "string" },
      });
      if (values.help) return help("watch");
      return watchCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          debounceMs: positiveInt("watch", "debounce", values.debounce, 300),
          prune: values.prune ?? false,
          concurrency: positiveInt("watch", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("watch", "wait-timeout", values["wait-timeout"], 300),
          faults: values.faults,
        },
        ctx,
      );
    }
    case "local": {
      const [sub, ...args] = rest;
      if (sub === "--help" || sub === "-h") return help("local serve");
      if (sub === undefined) throw new UsageError("`meshdeploy local` needs a subcommand", "run `meshdeploy local serve` to start the local room");
      if (sub !== "serve") throw new UsageError(`unknown command: local ${sub}`, "did you mean `meshdeploy local serve`?");
      const { values } = parseCommand("local serve", args, {
        port: { type: "string" },
        data: { type: "string" },
        token: { type: "string" },
        project: { type: "string" },
        "project-key": { type: "string" },
        registry: { type: "string" },
        room: { type: "string", multiple: true },
        faults: { type: "string" },
        platform: { type: "string" },
        strictness: { type: "string" },
        help: targetOptions.help,
      });
      if (values.help) return help("local serve");
      return localServeCommand(
        {
          port: portNumber("local serve", "port", values.port, 8787),
          data: values.data,
          token: values.token,
          project: values.project,
          projectKey: values["project-key"],
          registry: values.registry,
          rooms: values.room ?? [],
          faults: values.faults,
          platform: values.platform,
          strictness: values.strictness,
        },
        ctx,
      );
    }
    default:
      throw unknownCommand(command);
  }
}

const COMMANDS = ["validate", "plan", "apply", "watch", "sync", "local", "help", "version"] as const;

/** An unknown command; one close to a real one (`aply`), or `-v`/`-V`, gets a suggestion. */
function unknownCommand(command: string): UsageError {
  if (command === "-v" || command === "-V") return new UsageError(`unknown command: ${command}`, "did you mean `meshdeploy --version`?");
  const near = command.startsWith("-") ? null : didYouMean(command, COMMANDS);
  return new UsageError(`unknown command: ${command}`, near === null ? "run `meshdeploy --help` for the list of commands" : `did you mean \`meshdeploy ${near}\`? (run \`meshdeploy --help\` for the list of commands)`);
}
