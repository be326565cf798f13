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
import { nonNegativeInt, optionalPositiveInt, ownerList, parseCommand, parseCommandWithOperands, portNumber, positiveInt, targetOptions } from "./parse.js";
import { DEFAULT_MAX_DELETES } from "../plan/delete-limit.js";
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
    if ((error instanceof ConfigError || error instanceof PlanProblemsError) && io.env["GITHUB_ACTIONS"] === "true") {
      for (const line of githubAnnotations(error.diagnostics, io.env["GITHUB_WORKSPACE"] || io.cwd)) io.out(ctx.redactor.redact(line));
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
    case "validate": {
      const { values } = parseCommand("validate", rest, { file: targetOptions.file, help: targetOptions.help, platform: targetOptions.platform, local: targetOptions.local, output: { type: "string", short: "o" } });
      return values.help ? help("validate") : (await import("./commands/validate.js")).validateCommand({ file: values.file, platform: values.platform, local: values.local === true, output: values.output }, ctx);
    }
    case "plan": {
      const { values } = parseCommand("plan", rest, {
        ...targetOptions,
        "detailed-exitcode": { type: "boolean" },
        output: { type: "string", short: "o" },
        prune: { type: "boolean" },
        "adopt-from": { type: "string", multiple: true },
        verbose: { type: "boolean", short: "v" },
        "max-deletes": { type: "string" },
        faults: { type: "string" },
        out: { type: "string" },
        "require-clean": { type: "boolean" },
        health: { type: "boolean" },
        "secret-check": { type: "boolean" },
        "rebuild-on-adopt": { type: "boolean" },
        timeout: { type: "string" },
      });
      if (values.help) return help("plan");
      return (await import("./commands/plan.js")).planCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          detailedExitcode: values["detailed-exitcode"] ?? false,
          output: values.output ?? "human",
          prune: values.prune ?? false,
          adoptFrom: ownerList("plan", values["adopt-from"]),
          verbose: values.verbose ?? false,
          maxDeletes: nonNegativeInt("plan", "max-deletes", values["max-deletes"], DEFAULT_MAX_DELETES),
          faults: values.faults,
          out: values.out,
          requireClean: values["require-clean"] ?? false,
          health: values.health ?? false,
          secretCheck: values["secret-check"] ?? true,
          rebuildOnAdopt: values["rebuild-on-adopt"] ?? true,
          timeoutSeconds: optionalPositiveInt("plan", "timeout", values.timeout),
        },
        ctx,
      );
    }
    case "apply": {
      const { values, positionals } = parseCommandWithOperands("apply", rest, {
        ...targetOptions,
        prune: { type: "boolean" },
        "adopt-from": { type: "string", multiple: true },
        yes: { type: "boolean", short: "y" },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
        "max-deletes": { type: "string" },
        faults: { type: "string" },
        "require-clean": { type: "boolean" },
        output: { type: "string", short: "o" },
        "secret-check": { type: "boolean" },
        "rebuild-on-adopt": { type: "boolean" },
        timeout: { type: "string" },
      }, 1);
      if (values.help) return help("apply");
      return (await import("./commands/apply.js")).applyCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          prune: values.prune ?? false,
          adoptFrom: ownerList("apply", values["adopt-from"]),
          yes: values.yes ?? false,
          concurrency: positiveInt("apply", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("apply", "wait-timeout", values["wait-timeout"], 300),
          maxDeletes: nonNegativeInt("apply", "max-deletes", values["max-deletes"], DEFAULT_MAX_DELETES),
          faults: values.faults,
          planFile: positionals[0],
          requireClean: values["require-clean"] ?? false,
          output: values.output,
          secretCheck: values["secret-check"] ?? true,
          rebuildOnAdopt: values["rebuild-on-adopt"] ?? true,
          timeoutSeconds: optionalPositiveInt("apply", "timeout", values.timeout),
        },
        ctx,
      );
    }
    case "status": {
      const { values } = parseCommand("status", rest, { ...targetOptions, output: { type: "string", short: "o" } });
      if (values.help) return help("status");
      return (await import("./commands/status.js")).statusCommand({ file: values.file, local: values.local ?? false, apiUrl: values["api-url"], platform: values.platform, output: values.output ?? "human" }, ctx);
    }
    case "logs": {
      const { values, positionals } = parseCommandWithOperands("logs", rest, {
        ...targetOptions,
        // -f follows, as in `docker logs -f`, `kubectl logs -f`; the config is --file here.
        file: { type: "string" },
        follow: { type: "boolean", short: "f" },
        room: { type: "string" },
        tail: { type: "string" },
      }, 1);
      if (values.help) return help("logs");
      if (positionals[0] === undefined) throw new UsageError("logs: name the service, e.g. `meshdeploy logs acme-web`", "`meshdeploy status` lists the declared services");
      return (await import("./commands/logs.js")).logsCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          service: positionals[0],
          room: values.room,
          follow: values.follow ?? false,
          tail: values.tail === undefined ? undefined : positiveInt("logs", "tail", values.tail, 100),
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
        "adopt-from": { type: "string", multiple: true },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
        "max-deletes": { type: "string" },
        faults: { type: "string" },
        "log-format": { type: "string" },
        heartbeat: { type: "string" },
        listen: { type: "string" },
        suspend: { type: "boolean" },
        "suspend-file": { type: "string" },
        "self-heal": { type: "boolean" },
        notify: { type: "string", multiple: true },
        "github-status": { type: "boolean" },
        "github-repo": { type: "string" },
        "github-api-url": { type: "string" },
      });
      if (values.help) return help("sync");
      if (values.repo === undefined) throw new UsageError("sync: --repo URL is required", "e.g. meshdeploy sync --repo https://github.com/acme/deploy.git --ref main");
      return (await import("./commands/sync.js")).syncCommand(
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
          adoptFrom: ownerList("sync", values["adopt-from"]),
          concurrency: positiveInt("sync", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("sync", "wait-timeout", values["wait-timeout"], 300),
          maxDeletes: nonNegativeInt("sync", "max-deletes", values["max-deletes"], DEFAULT_MAX_DELETES),
          faults: values.faults,
          logFormat: values["log-format"] ?? "text",
          heartbeatSeconds: positiveInt("sync", "heartbeat", values.heartbeat, 3600),
          listen: values.listen,
          suspend: values.suspend ?? false,
          suspendFile: values["suspend-file"],
          selfHeal: values["self-heal"] ?? true,
          notify: values.notify ?? [],
          githubStatus: values["github-status"] ?? false,
          githubRepo: values["github-repo"],
          githubApiUrl: values["github-api-url"],
        },
        ctx,
      );
    }
    case "watch": {
      const { values } = parseCommand("watch", rest, {
        ...targetOptions,
        debounce: { type: "string" },
        prune: { type: "boolean" },
        logs: { type: "boolean" },
        "adopt-from": { type: "string", multiple: true },
        concurrency: { type: "string" },
        wait: { type: "boolean" },
        "wait-timeout": { type: "string" },
        "max-deletes": { type: "string" },
        faults: { type: "string" },
      });
      if (values.help) return help("watch");
      return (await import("./commands/watch.js")).watchCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          debounceMs: positiveInt("watch", "debounce", values.debounce, 300),
          prune: values.prune ?? false,
          logs: values.logs ?? false,
          adoptFrom: ownerList("watch", values["adopt-from"]),
          concurrency: positiveInt("watch", "concurrency", values.concurrency, 4),
          wait: values.wait ?? true,
          waitTimeoutSeconds: positiveInt("watch", "wait-timeout", values["wait-timeout"], 300),
          maxDeletes: nonNegativeInt("watch", "max-deletes", values["max-deletes"], DEFAULT_MAX_DELETES),
          faults: values.faults,
        },
        ctx,
      );
    }
    case "init": {
      const { values, positionals } = parseCommandWithOperands("init", rest, {
        local: targetOptions.local,
        "api-url": targetOptions["api-url"],
        platform: targetOptions.platform,
        help: targetOptions.help,
        room: { type: "string" },
        "from-room": { type: "string" },
        force: { type: "boolean" },
      }, 1);
      if (values.help) return help("init");
      return (await import("./commands/init.js")).initCommand({ dir: positionals[0], local: values.local ?? false, apiUrl: values["api-url"], platform: values.platform, room: values.room, fromRoom: values["from-room"], force: values.force ?? false }, ctx);
    }
    case "import": {
      const { values } = parseCommand("import", rest, {
        local: targetOptions.local,
        "api-url": targetOptions["api-url"],
        platform: targetOptions.platform,
        help: targetOptions.help,
        room: { type: "string" },
        service: { type: "string", multiple: true },
        out: { type: "string", short: "o" },
        owner: { type: "string" },
        force: { type: "boolean" },
      });
      if (values.help) return help("import");
      return (await import("./commands/import.js")).importCommand(
        { local: values.local ?? false, apiUrl: values["api-url"], platform: values.platform, room: values.room, services: values.service ?? [], out: values.out, owner: values.owner, force: values.force ?? false },
        ctx,
      );
    }
    case "destroy": {
      const { values } = parseCommand("destroy", rest, {
        ...targetOptions,
        yes: { type: "boolean", short: "y" },
        concurrency: { type: "string" },
        "max-deletes": { type: "string" },
      });
      if (values.help) return help("destroy");
      return (await import("./commands/destroy.js")).destroyCommand(
        {
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          prune: true,
          yes: values.yes ?? false,
          concurrency: positiveInt("destroy", "concurrency", values.concurrency, 4),
          maxDeletes: nonNegativeInt("destroy", "max-deletes", values["max-deletes"], DEFAULT_MAX_DELETES),
          wait: false,
          waitTimeoutSeconds: 300,
        },
        ctx,
      );
    }
    case "secret": {
      const [sub, ...args] = rest;
      if (sub === undefined || sub === "--help" || sub === "-h") return help("secret");
      if (sub !== "set" && sub !== "list" && sub !== "delete") throw new UsageError(`unknown command: secret ${sub}`, "use `meshdeploy secret set|list|delete`");
      const { values, positionals } = parseCommandWithOperands(`secret ${sub}`, args, {
        ...targetOptions,
        room: { type: "string" },
        identity: { type: "string" },
        "run-as": { type: "string" },
        "from-env": { type: "string" },
        output: { type: "string", short: "o" },
      }, sub === "list" ? 0 : 1);
      if (values.help) return help("secret");
      if (sub !== "set" && values["from-env"] !== undefined) throw new UsageError(`secret ${sub}: --from-env is only for secret set`);
      return (await import("./commands/secret.js")).secretCommand(
        {
          action: sub,
          id: positionals[0],
          file: values.file,
          local: values.local ?? false,
          apiUrl: values["api-url"],
          platform: values.platform,
          room: values.room,
          identity: values.identity,
          runAs: values["run-as"],
          fromEnv: values["from-env"],
          output: values.output ?? "human",
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
        "token-file": { type: "string" },
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
      return (await import("./commands/local-serve.js")).localServeCommand(
        {
          port: portNumber("local serve", "port", values.port, 8787),
          data: values.data,
          token: values.token,
          tokenFile: values["token-file"],
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
