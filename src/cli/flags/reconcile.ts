// Flags of the commands that plan and apply a config: plan, apply, watch, destroy.
import type { ApplyArgs } from "../commands/execute-run.js";
import type { PlanArgs } from "../commands/plan.js";
import type { WatchArgs } from "../commands/watch.js";
import { DEFAULT_MAX_DELETES } from "../../plan/delete-limit.js";
import { nonNegativeInt, optionalPositiveInt, ownerList, parseCommand, parseCommandWithOperands, positiveInt, targetOptions } from "../parse.js";
import { UsageError } from "../../errors.js";
import { runArgs, runOptions, targetArgs, targetingArgs, targetingOptions, type Parsed } from "./common.js";

/** Flags plan and apply share. */
const planningOptions = {
  prune: { type: "boolean" },
  "adopt-from": { type: "string", multiple: true },
  "max-deletes": { type: "string" },
  faults: { type: "string" },
  "require-clean": { type: "boolean" },
  output: { type: "string", short: "o" },
  "secret-check": { type: "boolean" },
  "rebuild-on-adopt": { type: "boolean" },
  timeout: { type: "string" },
} as const;

export function planFlags(argv: string[]): Parsed<PlanArgs> {
  const { values } = parseCommand("plan", argv, {
    ...targetOptions,
    ...planningOptions,
    ...targetingOptions,
    "detailed-exitcode": { type: "boolean" },
    verbose: { type: "boolean", short: "v" },
    out: { type: "string" },
    health: { type: "boolean" },
  });
  if (values.help) return "help";
  return {
    ...targetArgs(values),
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
    ...targetingArgs("plan", values, values.prune),
  };
}

export function applyFlags(argv: string[]): Parsed<ApplyArgs> {
  const { values, positionals } = parseCommandWithOperands("apply", argv, {
    ...targetOptions,
    ...planningOptions,
    ...runOptions,
    ...targetingOptions,
    yes: { type: "boolean", short: "y" },
  }, 1);
  if (values.help) return "help";
  return {
    ...targetArgs(values),
    ...runArgs("apply", values),
    prune: values.prune ?? false,
    adoptFrom: ownerList("apply", values["adopt-from"]),
    yes: values.yes ?? false,
    faults: values.faults,
    planFile: positionals[0],
    requireClean: values["require-clean"] ?? false,
    output: values.output,
    secretCheck: values["secret-check"] ?? true,
    rebuildOnAdopt: values["rebuild-on-adopt"] ?? true,
    timeoutSeconds: optionalPositiveInt("apply", "timeout", values.timeout),
    ...targetingArgs("apply", values, values.prune),
  };
}

export function watchFlags(argv: string[]): Parsed<WatchArgs> {
  const { values } = parseCommand("watch", argv, {
    ...targetOptions,
    ...runOptions,
    ...targetingOptions,
    debounce: { type: "string" },
    prune: { type: "boolean" },
    logs: { type: "boolean" },
    "adopt-from": { type: "string", multiple: true },
    verbose: { type: "boolean", short: "v" },
    "require-clean": { type: "boolean" },
  });
  if (values.help) return "help";
  return {
    ...targetArgs(values),
    ...runArgs("watch", values),
    debounceMs: positiveInt("watch", "debounce", values.debounce, 300),
    prune: values.prune ?? false,
    logs: values.logs ?? false,
    adoptFrom: ownerList("watch", values["adopt-from"]),
    faults: values.faults,
    ...targetingArgs("watch", values, values.prune),
    verbose: values.verbose ?? false,
    requireClean: values["require-clean"] ?? false,
  };
}

export function destroyFlags(argv: string[]): Parsed<ApplyArgs> {
  const { values } = parseCommand("destroy", argv, {
    ...targetOptions,
    yes: { type: "boolean", short: "y" },
    concurrency: { type: "string" },
    "max-deletes": { type: "string" },
    ...targetingOptions,
  });
  if (values.help) return "help";
  // Destroy removes the owner's services everywhere; a targeted destroy would pick live services
  // by a config that no longer declares them. Refused rather than guessed (docs/semantics.md).
  if (targetingArgs("destroy", values).targets !== undefined) {
    throw new UsageError(
      "destroy: --service, --room and --exclude are not supported: destroy deletes every service this owner manages, in every room",
      "to remove some services, delete them from the config and run `meshdeploy apply --prune`; to remove one environment's, `meshdeploy destroy -e NAME`",
    );
  }
  // Destroy deletes without waiting for anything to start; prune is what it is.
  return { ...targetArgs(values), ...runArgs("destroy", { ...values, wait: false }), prune: true, yes: values.yes ?? false };
}
