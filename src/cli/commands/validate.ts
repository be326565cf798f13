// `meshdeploy validate`: load the config (syntax, schema, rules) and run every offline check of the
// read phase (build contexts; with --local, the tags against the local room's registry) without
// touching the network. With `--platform VERSION` (or `platform:` in the config) it also runs the
// rules of that MeshAgent generation, which plan otherwise runs once the server has said which it is.
import { describeOwner } from "../../model/owner.js";
import path from "node:path";
import { loadHashCache } from "../../build-context/hash-cache-file.js";
import { loadConfig } from "../../config/load.js";
import { ConfigError, UsageError } from "../../errors.js";
import { describePlatform, parseVersion, platformOf, type Platform } from "../../model/platform.js";
import { platformProblems } from "../../plan/platform-rules.js";
import { validToJson } from "../../output/render-json.js";
import { checkOffline } from "../../read/offline-checks.js";
import { DEFAULT_CONFIG, printer, untilAborted, type CommandContext } from "./context.js";
import { offlineNaming } from "./open-target.js";
import { stateDirOf } from "../../state-dir.js";

export interface ValidateArgs {
  file: string | undefined;
  /** --platform VERSION: check against that generation as well. */
  platform?: string | undefined;
  /** human (default) or json (docs/json-output.md). */
  output?: string | undefined;
  /** Check tags against the embedded local room's registry and project key. */
  local?: boolean;
}

export async function validateCommand(args: ValidateArgs, ctx: CommandContext): Promise<number> {
  if (args.output !== undefined && args.output !== "human" && args.output !== "json") throw new UsageError(`validate: --output expects human or json; got "${args.output}"`);
  if (args.platform !== undefined && parseVersion(args.platform) === null) {
    throw new UsageError(`--platform expects a MeshAgent version such as 0.50.1 or 0.39.9; got "${args.platform}"`);
  }
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  // Ctrl-C and SIGTERM stop validate at once (nothing is written, so nothing needs finishing).
  const desired = await untilAborted(loadConfig(file, { env: ctx.io.env }), ctx.io.signal);
  const platform: Platform | null =
    args.platform !== undefined ? platformOf(args.platform, "flag") : desired.platform !== null ? platformOf(desired.platform, "config") : null;
  if (platform !== null) {
    const diagnostics = desired.services.flatMap((service) =>
      platformProblems(service, platform).map((p) => ({ message: p.bare, location: p.location, hint: p.hint, rule: "platform" })),
    );
    if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  }
  await untilAborted(checkOffline(desired, { cache: loadHashCache(stateDirOf(file)), naming: offlineNaming({ local: args.local === true }, ctx.io, desired) }), ctx.io.signal);
  const rooms = new Set(desired.services.map((s) => s.room)).size;
  const { out, style } = printer(ctx);
  const n = desired.services.length;
  if (args.output === "json") {
    out(JSON.stringify(validToJson(file, ctx.io.cwd, { services: n, rooms, owner: desired.owner, platform: platform?.version ?? null }), null, 2));
    ctx.jsonWritten = true;
    return 0;
  }
  const against = platform === null ? "" : ` for ${describePlatform(platform)}`;
  out(`${style.green("✓")} ${path.relative(ctx.io.cwd, file) || file} is valid${against}: ${n} service${n === 1 ? "" : "s"} in ${rooms} room${rooms === 1 ? "" : "s"}, owner ${describeOwner(desired.owner, desired.ownerSource)}`);
  return 0;
}
