// Argument parsing for every command (node:util parseArgs, strict). Turns unknown flags and bad
// values into UsageError with the command's name; --help is answered by cli/help.ts.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../config/did-you-mean.js";
import { UsageError } from "../errors.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export const targetOptions = {
  file: { type: "string", short: "f" },
  local: { type: "boolean" },
  "api-url": { type: "string" },
  platform: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

/** parseArgs' error as a UsageError; an unknown flag close to a known one gets "did you mean". */
function usageError(command: string, error: unknown, options: Options): UsageError {
  const text = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(text)?.[1];
  const help = `run \`meshdeploy ${command} --help\``;
  if (unknown === undefined) return new UsageError(`${command}: ${text}`, help);
  const flags = Object.keys(options).map((name) => `--${name}`);
  const near = unknown.startsWith("--") ? didYouMean(unknown.slice(2), flags.map((f) => f.slice(2))) : null;
  return new UsageError(`${command}: unknown option ${unknown}`, near === null ? help : `did you mean \`--${near}\`? (${help})`);
}

export function parseCommand<O extends Options>(command: string, argv: string[], options: O) {
  try {
    const config = { args: argv, options, strict: true as const, allowPositionals: false as const, allowNegative: true };
    return parseArgs(config);
  } catch (error) {
    throw usageError(command, error, options);
  }
}

/** parseCommand for commands that also take operands (`apply PLAN.json`); at most `max` of them. */
export function parseCommandWithOperands<O extends Options>(command: string, argv: string[], options: O, max: number) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, strict: true as const, allowPositionals: true as const, allowNegative: true });
  } catch (error) {
    throw usageError(command, error, options);
  }
  if (parsed.positionals.length > max) throw new UsageError(`${command}: unexpected argument "${parsed.positionals[max]}"`, `run \`meshdeploy ${command} --help\``);
  return parsed;
}

export function positiveInt(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${command}: --${flag} expects a positive integer, got "${value}"`);
  return Number(value);
}

/** A TCP port; 0 asks the system for a free one. */
export function portNumber(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${command}: --${flag} expects a port number 0-65535, got "${value}"`);
  return Number(value);
}
