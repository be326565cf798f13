// Flags of the commands that look at or manage a room without reconciling it:
// validate, status, logs, init, import, secret.
import type { ImportArgs } from "../commands/import.js";
import type { InitArgs } from "../commands/init.js";
import type { LogsArgs } from "../commands/logs.js";
import type { SecretAction, SecretArgs } from "../commands/secret.js";
import type { StatusArgs } from "../commands/status.js";
import type { ValidateArgs } from "../commands/validate.js";
import { UsageError } from "../../errors.js";
import { parseCommand, parseCommandWithOperands, positiveInt, targetOptions } from "../parse.js";
import { targetArgs, targetingArgs, targetingOptions, type Parsed } from "./common.js";

const output = { type: "string", short: "o" } as const;

export function validateFlags(argv: string[]): Parsed<ValidateArgs> {
  const { values } = parseCommand("validate", argv, { file: targetOptions.file, help: targetOptions.help, platform: targetOptions.platform, local: targetOptions.local, environment: targetOptions.environment, output });
  if (values.help) return "help";
  return { file: values.file, platform: values.platform, local: values.local === true, output: values.output, environment: values.environment };
}

export function statusFlags(argv: string[]): Parsed<StatusArgs> {
  const { values } = parseCommand("status", argv, { ...targetOptions, ...targetingOptions, output });
  if (values.help) return "help";
  return { ...targetArgs(values), output: values.output ?? "human", ...targetingArgs("status", values) };
}

export function logsFlags(argv: string[]): Parsed<LogsArgs> {
  const { values, positionals } = parseCommandWithOperands("logs", argv, {
    ...targetOptions,
    // -f follows, as in `docker logs -f`, `kubectl logs -f`; the config is --file here.
    file: { type: "string" },
    follow: { type: "boolean", short: "f" },
    room: { type: "string" },
    tail: { type: "string" },
  }, 1);
  if (values.help) return "help";
  if (positionals[0] === undefined) throw new UsageError("logs: name the service, e.g. `meshdeploy logs acme-web`", "`meshdeploy status` lists the declared services");
  return {
    ...targetArgs(values),
    service: positionals[0],
    room: values.room,
    follow: values.follow ?? false,
    tail: values.tail === undefined ? undefined : positiveInt("logs", "tail", values.tail, 100),
  };
}

/** Flags of the commands that talk to a room but read no config file (so no -e either). */
const { file: _file, environment: _environment, ...connection } = targetOptions;

export function initFlags(argv: string[]): Parsed<InitArgs> {
  const { values, positionals } = parseCommandWithOperands("init", argv, {
    ...connection,
    room: { type: "string" },
    "from-room": { type: "string" },
    force: { type: "boolean" },
  }, 1);
  if (values.help) return "help";
  const { file: _none, environment: _env, ...target } = targetArgs(values);
  return { ...target, dir: positionals[0], room: values.room, fromRoom: values["from-room"], force: values.force ?? false };
}

export function importFlags(argv: string[]): Parsed<ImportArgs> {
  const { values } = parseCommand("import", argv, {
    ...connection,
    room: { type: "string" },
    service: { type: "string", multiple: true },
    out: { type: "string", short: "o" },
    owner: { type: "string" },
    force: { type: "boolean" },
  });
  if (values.help) return "help";
  const { file: _none, environment: _env, ...target } = targetArgs(values);
  return { ...target, room: values.room, services: values.service ?? [], out: values.out, owner: values.owner, force: values.force ?? false };
}

/** `secret set|list|delete …`; plain `secret` (or `secret --help`) is its help. */
export function secretFlags(argv: string[]): Parsed<SecretArgs> {
  const [sub, ...args] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") return "help";
  if (sub !== "set" && sub !== "list" && sub !== "delete") throw new UsageError(`unknown command: secret ${sub}`, "use `meshdeploy secret set|list|delete`");
  const { values, positionals } = parseCommandWithOperands(`secret ${sub}`, args, {
    ...targetOptions,
    room: { type: "string" },
    identity: { type: "string" },
    "run-as": { type: "string" },
    "from-env": { type: "string" },
    output,
  }, sub === "list" ? 0 : 1);
  if (values.help) return "help";
  if (sub !== "set" && values["from-env"] !== undefined) throw new UsageError(`secret ${sub}: --from-env is only for secret set`);
  return {
    ...targetArgs(values),
    action: sub satisfies SecretAction,
    id: positionals[0],
    room: values.room,
    identity: values.identity,
    runAs: values["run-as"],
    fromEnv: values["from-env"],
    output: values.output ?? "human",
  };
}
