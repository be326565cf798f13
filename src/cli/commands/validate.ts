// `meshdeploy validate`: load the config (syntax, schema, rules) without touching the network.
import { describeOwner } from "../../model/owner.js";
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";

export interface ValidateArgs {
  file: string | undefined;
}

export async function validateCommand(args: ValidateArgs, ctx: CommandContext): Promise<number> {
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const desired = await loadConfig(file, { env: ctx.io.env });
  const rooms = new Set(desired.services.map((s) => s.room)).size;
  const { out, style } = printer(ctx);
  const n = desired.services.length;
  out(`${style.green("✓")} ${path.relative(ctx.io.cwd, file) || file} is valid: ${n} service${n === 1 ? "" : "s"} in ${rooms} room${rooms === 1 ? "" : "s"}, owner ${describeOwner(desired.owner, desired.ownerSource)}`);
  return 0;
}
