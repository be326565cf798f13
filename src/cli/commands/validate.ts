// `meshdeploy validate`: load the config (syntax, schema, rules) without touching the network. With
// `--platform VERSION` (or `platform:` in the config) it also runs the rules of that MeshAgent
// generation, which plan otherwise runs once the server has said which it is.
import { describeOwner } from "../../model/owner.js";
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { ConfigError, UsageError } from "../../errors.js";
import { describePlatform, parseVersion, platformOf, type Platform } from "../../model/platform.js";
import { platformProblems } from "../../plan/platform-rules.js";
import { DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";

export interface ValidateArgs {
  file: string | undefined;
  /** --platform VERSION: check against that generation as well. */
  platform?: string | undefined;
}

export async function validateCommand(args: ValidateArgs, ctx: CommandContext): Promise<number> {
  if (args.platform !== undefined && parseVersion(args.platform) === null) {
    throw new UsageError(`--platform expects a MeshAgent version such as 0.50.1 or 0.39.9; got "${args.platform}"`);
  }
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const desired = await loadConfig(file, { env: ctx.io.env });
  const platform: Platform | null =
    args.platform !== undefined ? platformOf(args.platform, "flag") : desired.platform !== null ? platformOf(desired.platform, "config") : null;
  if (platform !== null) {
    const diagnostics = desired.services.flatMap((service) =>
      platformProblems(service, platform).map((p) => ({ message: p.bare, location: p.location, hint: p.hint, rule: "platform" })),
    );
    if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  }
  const rooms = new Set(desired.services.map((s) => s.room)).size;
  const { out, style } = printer(ctx);
  const n = desired.services.length;
  const against = platform === null ? "" : ` for ${describePlatform(platform)}`;
  out(`${style.green("✓")} ${path.relative(ctx.io.cwd, file) || file} is valid${against}: ${n} service${n === 1 ? "" : "s"} in ${rooms} room${rooms === 1 ? "" : "s"}, owner ${describeOwner(desired.owner, desired.ownerSource)}`);
  return 0;
}
