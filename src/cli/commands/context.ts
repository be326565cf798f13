// What every command receives: the outside world and the redactor every printed line goes through.
import type { RunSettings } from "../../apply/apply-plan.js";
import type { Io } from "../io.js";
import type { Redactor } from "../../output/redact.js";
import { styleFor, type Style } from "../../output/style.js";

export interface CommandContext {
  io: Io;
  redactor: Redactor;
}

export function printer(ctx: CommandContext): { out(line: string): void; err(line: string): void; style: Style } {
  return {
    out: (line) => ctx.io.out(ctx.redactor.redact(line)),
    err: (line) => ctx.io.err(ctx.redactor.redact(line)),
    style: styleFor(ctx.io.colour),
  };
}

export const DEFAULT_CONFIG = ".meshdeploy.yaml";

/** The apply flags every command that applies takes (apply, watch, sync). */
export interface RunFlags {
  concurrency: number;
  wait: boolean;
  waitTimeoutSeconds: number;
  /** `--max-deletes N` (default plan/delete-limit.ts DEFAULT_MAX_DELETES). */
  maxDeletes: number;
}

export function runSettings(flags: RunFlags): RunSettings {
  return { concurrency: flags.concurrency, wait: flags.wait, waitTimeoutMs: flags.waitTimeoutSeconds * 1000, maxDeletes: flags.maxDeletes };
}
