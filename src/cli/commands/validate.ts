// `meshdeploy validate`: load the config (syntax, schema, rules) and run every offline check of the
// read phase (build contexts; with --local, the tags against the local room's registry) without
// touching the network.
import path from "node:path";
import { HashCache } from "../../build-context/context-hash.js";
import { loadConfig } from "../../config/load.js";
import { checkOffline } from "../../read/offline-checks.js";
import { DEFAULT_CONFIG, printer, untilAborted, type CommandContext } from "./context.js";
import { offlineNaming } from "./open-target.js";

export interface ValidateArgs {
  file: string | undefined;
  /** Check tags against the embedded local room's registry and project key. */
  local?: boolean;
}

export async function validateCommand(args: ValidateArgs, ctx: CommandContext): Promise<number> {
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  // Ctrl-C and SIGTERM stop validate at once (nothing is written, so nothing needs finishing).
  const desired = await untilAborted(loadConfig(file, { env: ctx.io.env }), ctx.io.signal);
  await untilAborted(checkOffline(desired, { cache: new HashCache(), naming: offlineNaming({ local: args.local === true }, ctx.io) }), ctx.io.signal);
  const rooms = new Set(desired.services.map((s) => s.room)).size;
  const { out, style } = printer(ctx);
  const n = desired.services.length;
  out(`${style.green("✓")} ${path.relative(ctx.io.cwd, file) || file} is valid: ${n} service${n === 1 ? "" : "s"} in ${rooms} room${rooms === 1 ? "" : "s"}, owner ${desired.owner}`);
  return 0;
}
