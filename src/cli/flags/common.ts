// Flag pieces shared by the command families: where to connect (`--file`, `--local`, `--api-url`,
// `--platform`), how to run (`--concurrency`, `--wait`, `--wait-timeout`, `--max-deletes`) and
// what to act on (`--service`, `--room`, `--exclude`: plan, apply, watch, status).
import type { RunFlags } from "../commands/context.js";
import { UsageError } from "../../errors.js";
import { describeTargets, type Targets } from "../../model/targets.js";
import { DEFAULT_MAX_DELETES } from "../../plan/delete-limit.js";
import { nonNegativeInt, positiveInt } from "../parse.js";

/** `help` when the command was asked for its help, else its parsed arguments. */
export type Parsed<A> = A | "help";

export const runOptions = {
  concurrency: { type: "string" },
  wait: { type: "boolean" },
  "wait-timeout": { type: "string" },
  "max-deletes": { type: "string" },
  faults: { type: "string" },
} as const;

interface TargetValues {
  file?: string | undefined;
  local?: boolean | undefined;
  "api-url"?: string | undefined;
  platform?: string | undefined;
  environment?: string | undefined;
}

/** The connection flags of targetOptions as command arguments (`-e` falls back to MESHDEPLOY_ENVIRONMENT where the config is loaded: commands/context.ts configVariables). */
export function targetArgs(values: TargetValues) {
  return { file: values.file, local: values.local ?? false, apiUrl: values["api-url"], platform: values.platform, environment: values.environment };
}

interface RunValues {
  concurrency?: string | undefined;
  wait?: boolean | undefined;
  "wait-timeout"?: string | undefined;
  "max-deletes"?: string | undefined;
}

/** runOptions as RunFlags, with the defaults every reconciling command shares. */
export function runArgs(command: string, values: RunValues): RunFlags {
  return {
    concurrency: positiveInt(command, "concurrency", values.concurrency, 4),
    wait: values.wait ?? true,
    waitTimeoutSeconds: positiveInt(command, "wait-timeout", values["wait-timeout"], 300),
    maxDeletes: nonNegativeInt(command, "max-deletes", values["max-deletes"], DEFAULT_MAX_DELETES),
  };
}

/** Targeting (model/targets.ts): each flag repeatable. */
export const targetingOptions = {
  service: { type: "string", multiple: true },
  room: { type: "string", multiple: true },
  exclude: { type: "string", multiple: true },
} as const;

interface TargetingValues {
  service?: string[] | undefined;
  room?: string[] | undefined;
  exclude?: string[] | undefined;
}

/**
 * targetingOptions as `targets` (undefined when none is given). `--prune` with targeting is
 * refused here, before anything is loaded: like Terraform's `-target`, a targeted run never
 * deletes, and a flag that would be silently ignored is worse than an error.
 */
export function targetingArgs(command: string, values: TargetingValues, prune?: boolean | undefined): { targets: Targets | undefined } {
  const targets = { services: values.service ?? [], rooms: values.room ?? [], exclude: values.exclude ?? [] };
  for (const [flag, names] of [["service", targets.services], ["room", targets.rooms], ["exclude", targets.exclude]] as const) {
    if (names.some((n) => n.trim() === "")) throw new UsageError(`${command}: --${flag} expects a name, got ""`);
  }
  if (targets.services.length + targets.rooms.length + targets.exclude.length === 0) return { targets: undefined };
  if (prune === true) {
    throw new UsageError(
      `${command}: --prune cannot be combined with ${describeTargets(targets)}: a targeted run acts on the services it names and never deletes`,
      `run \`meshdeploy ${command} --prune\` without --service/--room/--exclude to prune`,
    );
  }
  return { targets };
}
