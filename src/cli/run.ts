// runCli(argv, io) → exit code (cli/exit-codes.ts); cli/ is the only place results and errors
// become exit codes (a failure through cli/report-failure.ts).
// Commands (with their flag tables) and the failure path are imported when they run, so `--version`
// and `--help` load none of their dependencies (the room client, the local room, git, HTTP, yaml, ajv).
import type { CommandContext } from "./commands/context.js";
import { MESHDEPLOY_VERSION } from "../version.js";
import { EXIT } from "./exit-codes.js";
import { UsageError } from "../errors.js";
import { Redactor } from "../output/redact.js";
import { didYouMean } from "../config/did-you-mean.js";
import { commandList, completionScript, SHELLS, type Shell } from "./completion.js";
import { commandHelp, overview } from "./help.js";
import { schemaCommand } from "./commands/schema.js";
import type { Io } from "./io.js";
import { parseCommand, targetOptions } from "./parse.js";
import type { Parsed } from "./flags/common.js";
import { terminalSafe } from "../printable.js";


export async function runCli(argv: string[], rawIo: Io): Promise<number> {
  const io = safeIo(rawIo);
  const ctx: CommandContext = { io, redactor: new Redactor() };
  for (const name of ["MESHAGENT_API_KEY", "MESHAGENT_TOKEN"]) ctx.redactor.add(io.env[name]);
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
    // The failure path is imported only on failure: `--version` and `--help` never load it.
    return (await import("./report-failure.js")).reportFailure(error, argv, ctx);
  }
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
    case "validate": return run("validate", (await import("./flags/manage.js")).validateFlags(rest), async (args) => (await import("./commands/validate.js")).validateCommand(args, ctx));
    case "plan": return run("plan", (await import("./flags/reconcile.js")).planFlags(rest), async (args) => (await import("./commands/plan.js")).planCommand(args, ctx));
    case "apply": return run("apply", (await import("./flags/reconcile.js")).applyFlags(rest), async (args) => (await import("./commands/apply.js")).applyCommand(args, ctx));
    case "watch": return run("watch", (await import("./flags/reconcile.js")).watchFlags(rest), async (args) => (await import("./commands/watch.js")).watchCommand(args, ctx));
    case "destroy": return run("destroy", (await import("./flags/reconcile.js")).destroyFlags(rest), async (args) => (await import("./commands/destroy.js")).destroyCommand(args, ctx));
    case "sync": return run("sync", (await import("./flags/sync.js")).syncFlags(rest), async (args) => (await import("./commands/sync.js")).syncCommand(args, ctx));
    case "status": return run("status", (await import("./flags/manage.js")).statusFlags(rest), async (args) => (await import("./commands/status.js")).statusCommand(args, ctx));
    case "logs": return run("logs", (await import("./flags/manage.js")).logsFlags(rest), async (args) => (await import("./commands/logs.js")).logsCommand(args, ctx));
    case "init": return run("init", (await import("./flags/manage.js")).initFlags(rest), async (args) => (await import("./commands/init.js")).initCommand(args, ctx));
    case "import": return run("import", (await import("./flags/manage.js")).importFlags(rest), async (args) => (await import("./commands/import.js")).importCommand(args, ctx));
    case "secret": return run("secret", (await import("./flags/manage.js")).secretFlags(rest), async (args) => (await import("./commands/secret.js")).secretCommand(args, ctx));
    case "local": return run("local serve", (await import("./flags/local.js")).localFlags(rest), async (args) => (await import("./commands/local-serve.js")).localServeCommand(args, ctx));
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
