// runCli(argv, io) → exit code. The only place errors become exit codes: 0 success or no
// changes, 1 error, 2 changes present (plan --detailed-exitcode), 130 interrupted.
import { applyCommand } from "../commands/apply.js";
import type { CommandContext } from "../commands/context.js";
import { localServeCommand } from "../commands/local-serve.js";
import { planCommand } from "../commands/plan.js";
import { validateCommand } from "../commands/validate.js";
import { UsageError } from "../errors.js";
import { Redactor } from "../output/redact.js";
import { commandHelp, overview } from "./help.js";
import type { Io } from "./io.js";
import { parseCommand, portNumber, positiveInt, targetOptions } from "./parse.js";
import { renderError } from "./render-error.js";

export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;

export async function runCli(argv: string[], io: Io): Promise<number> {
  const ctx: CommandContext = { io, redactor: new Redactor() };
  for (const name of ["MESHAGENT_API_KEY", "MESHAGENT_TOKEN"]) ctx.redactor.add(io.env[name]);
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
    for (const line of await renderError(error, io.colour)) io.err(ctx.redactor.redact(line));
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
      ctx.io.out("meshdeploy 0.1.0");
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
      });
      if (values.help) return help("plan");
      return planCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          detailedExitcode: values["detailed-exitcode"] ?? false,
          output: values.output ?? "human",
          prune: values.prune ?? false,
          verbose: values.verbose ?? false,
        },
        ctx,
      );
    }
    case "apply": {
      const { values } = parseCommand("apply", rest, {
        ...targetOptions,
        prune: { type: "boolean" },
        yes: { type: "boolean", short: "y" },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
      });
      if (values.help) return help("apply");
      return applyCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          prune: values.prune ?? false,
          yes: values.yes ?? false,
          concurrency: positiveInt("apply", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("apply", "wait-timeout", values["wait-timeout"], 300),
        },
        ctx,
      );
    }
    case "local": {
      const [sub, ...args] = rest;
      if (sub === undefined || sub === "--help" || sub === "-h") return help("local serve");
      if (sub !== "serve") throw new UsageError(`unknown command: local ${sub}`, "did you mean `meshdeploy local serve`?");
      const { values } = parseCommand("local serve", args, {
        port: { type: "string" },
        data: { type: "string" },
        token: { type: "string" },
        project: { type: "string" },
        "project-key": { type: "string" },
        registry: { type: "string" },
        room: { type: "string", multiple: true },
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
        },
        ctx,
      );
    }
    default:
      throw new UsageError(`unknown command: ${command}`, "run `meshdeploy --help` for the list of commands");
  }
}
