// Flag pieces shared by the command families: where to connect (`--file`, `--local`, `--api-url`,
// `--platform`) and how to run (`--concurrency`, `--wait`, `--wait-timeout`, `--max-deletes`).
import type { RunFlags } from "../commands/context.js";
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
