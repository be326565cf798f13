// What every command receives: the outside world and the redactor every printed line goes through.
import type { RunSettings } from "../../apply/apply-plan.js";
import type { Io } from "../io.js";
import { MeshdeployError } from "../../errors.js";
import type { Redactor } from "../../output/redact.js";
import { styleFor, type Style } from "../../output/style.js";

export interface CommandContext {
  io: Io;
  redactor: Redactor;
  /** Set once a command has written its JSON document (`--output json`), so an error after it adds none. */
  jsonWritten?: boolean;
}

export function printer(ctx: CommandContext): { out(line: string): void; err(line: string): void; style: Style } {
  return {
    out: (line) => ctx.io.out(ctx.redactor.redact(line)),
    err: (line) => ctx.io.err(ctx.redactor.redact(line)),
    style: styleFor(ctx.io.colour),
  };
}

export const DEFAULT_CONFIG = ".meshdeploy.yaml";

/** What loadConfig gets from a command: the environment variables, and `-e NAME`, else MESHDEPLOY_ENVIRONMENT (empty = unset). */
export function configVariables(args: { environment?: string | undefined }, io: Pick<Io, "env">): { env: Io["env"]; environment?: string } {
  const environment = args.environment ?? io.env["MESHDEPLOY_ENVIRONMENT"];
  return environment === undefined || environment === "" ? { env: io.env } : { env: io.env, environment };
}

/** `work`, or E_INTERRUPTED as soon as `signal` aborts (for read-only work that may be dropped). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  const interrupted = (): MeshdeployError => new MeshdeployError("E_INTERRUPTED", "interrupted; nothing was changed");
  if (signal.aborted) {
    work.catch(() => {});
    return Promise.reject(interrupted());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(interrupted());
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

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

/** ` · environment NAME` for the header lines, or nothing when the config declares none. */
export function environmentNote(environment: string | undefined): string {
  return environment === undefined ? "" : ` · environment ${environment}`;
}
