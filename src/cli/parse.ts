// Argument parsing for every command (node:util parseArgs, strict). Turns unknown flags and bad
// values into UsageError with the command's name; --help is answered by cli/help.ts.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { didYouMean } from "../config/did-you-mean.js";
import { UsageError } from "../errors.js";
import { OWNER_PATTERN } from "../model/owner.js";

type Options = NonNullable<ParseArgsConfig["options"]>;

export const targetOptions = {
  file: { type: "string", short: "f" },
  local: { type: "boolean" },
  "api-url": { type: "string" },
  platform: { type: "string" },
  environment: { type: "string", short: "e" },
  help: { type: "boolean", short: "h" },
} as const satisfies Options;

export function parseCommand<O extends Options>(command: string, argv: string[], options: O) {
  try {
    const config = { args: argv, options, strict: true as const, allowPositionals: false as const, allowNegative: true };
    return parseArgs(config);
  } catch (error) {
    throw usageError(command, error, options);
  }
}

/** parseArgs' error as a UsageError; an unknown flag gets the closest known one ("did you mean"). */
function usageError(command: string, error: unknown, options: Options): UsageError {
  const raw = error instanceof Error ? error.message : String(error);
  const unknown = /^Unknown option '([^']+)'/.exec(raw)?.[1];
  const help = `run \`meshdeploy ${command} --help\``;
  if (unknown === undefined) return new UsageError(`${command}: ${raw}`, help);
  const name = unknown.replace(/^-+/, "").split("=")[0]!;
  const longs = Object.keys(options).flatMap((key) => (options[key]?.type === "boolean" ? [key, `no-${key}`] : [key]));
  const close = unknown.startsWith("--") ? didYouMean(name, longs) : null;
  return new UsageError(`${command}: unknown option ${unknown}`, close === null ? help : `did you mean \`--${close}\`? (${help})`);
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

export function nonNegativeInt(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${command}: --${flag} expects a whole number (0 or more), got "${value}"`);
  return Number(value);
}

/** A positive integer flag without a default: undefined when absent. */
export function optionalPositiveInt(command: string, flag: string, value: string | undefined): number | undefined {
  return value === undefined ? undefined : positiveInt(command, flag, value, 0);
}

/** A TCP port; 0 asks the system for a free one. */
export function portNumber(command: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`${command}: --${flag} expects a port number 0-65535, got "${value}"`);
  return Number(value);
}

/** `--adopt-from OWNER` values, each an owner scope (model/owner.ts OWNER_PATTERN). */
export function ownerList(command: string, values: string[] | undefined): string[] {
  for (const value of values ?? []) {
    if (!OWNER_PATTERN.test(value)) throw new UsageError(`${command}: --adopt-from expects an owner scope (1–63 letters, digits, '.', '_' or '-', starting with a letter or digit), got "${value}"`);
  }
  return [...new Set(values ?? [])];
}
