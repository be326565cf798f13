// `meshdeploy validate`: load the config (syntax, schema, rules) and run every offline check of the
// read phase (build contexts; with --local, the tags against the local room's registry) without
// touching the network. With `--platform VERSION` (or `platform:` in the config) it also runs the
// rules of that MeshAgent generation, which plan otherwise runs once the server has said which it is.
// A config with environments is checked in every one of them, or only in the one `-e` names.
import { describeOwner } from "../../model/owner.js";
import path from "node:path";
import { loadHashCache } from "../../build-context/hash-cache-file.js";
import { loadConfig, loadEveryEnvironment } from "../../config/load.js";
import type { DesiredState } from "../../model/desired.js";
import { ConfigError, UsageError } from "../../errors.js";
import { describePlatform, parseVersion, platformOf, type Platform } from "../../model/platform.js";
import { platformProblems } from "../../plan/platform-rules.js";
import { validToJson } from "../../output/render-json.js";
import { checkOffline } from "../../read/offline-checks.js";
import { configVariables, DEFAULT_CONFIG, printer, untilAborted, type CommandContext } from "./context.js";
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
  /** -e NAME: only that environment (default: every environment the config declares). */
  environment?: string | undefined;
}

export async function validateCommand(args: ValidateArgs, ctx: CommandContext): Promise<number> {
  if (args.output !== undefined && args.output !== "human" && args.output !== "json") throw new UsageError(`validate: --output expects human or json; got "${args.output}"`);
  if (args.platform !== undefined && parseVersion(args.platform) === null) {
    throw new UsageError(`--platform expects a MeshAgent version such as 0.50.1 or 0.39.9; got "${args.platform}"`);
  }
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const variables = configVariables(args, ctx.io);
  // Ctrl-C and SIGTERM stop validate at once (nothing is written, so nothing needs finishing).
  // Without -e: every environment the config declares, each located (one state when it has none).
  const states = await untilAborted(variables.environment === undefined ? loadEveryEnvironment(file, variables) : loadConfig(file, variables).then((d) => [d]), ctx.io.signal);
  const checked: { desired: DesiredState; platform: Platform | null }[] = [];
  for (const desired of states) checked.push({ desired, platform: await checkOne(desired, args, ctx) });
  const { out, style } = printer(ctx);
  const shown = path.relative(ctx.io.cwd, file) || file;
  const summaryOf = ({ desired, platform }: (typeof checked)[number]) => ({
    services: desired.services.length,
    rooms: new Set(desired.services.map((s) => s.room)).size,
    owner: desired.owner,
    platform: platform?.version ?? null,
  });
  if (args.output === "json") {
    const first = checked[0]!;
    const environments = checked.some((c) => c.desired.environment !== undefined)
      ? { environments: checked.map((c) => ({ name: c.desired.environment, ...summaryOf(c) })) }
      : {};
    out(JSON.stringify({ ...validToJson(file, ctx.io.cwd, summaryOf(first)), ...(first.desired.environment !== undefined && checked.length === 1 ? { environment: first.desired.environment } : {}), ...environments }, null, 2));
    ctx.jsonWritten = true;
    return 0;
  }
  for (const c of checked) {
    const { services: n, rooms } = summaryOf(c);
    const against = c.platform === null ? "" : ` for ${describePlatform(c.platform)}`;
    const which = c.desired.environment === undefined ? "" : ` (environment ${c.desired.environment})`;
    out(`${style.green("✓")} ${shown}${which} is valid${against}: ${n} service${n === 1 ? "" : "s"} in ${rooms} room${rooms === 1 ? "" : "s"}, owner ${describeOwner(c.desired.owner, c.desired.ownerSource)}`);
  }
  return 0;
}

/** The generation rules (with --platform or `platform:`) and the offline read checks of one state. */
async function checkOne(desired: DesiredState, args: ValidateArgs, ctx: CommandContext): Promise<Platform | null> {
  const platform: Platform | null =
    args.platform !== undefined ? platformOf(args.platform, "flag") : desired.platform !== null ? platformOf(desired.platform, "config") : null;
  if (platform !== null) {
    const diagnostics = desired.services.flatMap((service) =>
      platformProblems(service, platform).map((p) => ({ message: p.bare, location: p.location, hint: p.hint, rule: "platform" })),
    );
    if (diagnostics.length > 0) throw new ConfigError(diagnostics);
  }
  await untilAborted(checkOffline(desired, { cache: loadHashCache(stateDirOf(desired.file)), naming: offlineNaming({ local: args.local === true }, ctx.io, desired) }), ctx.io.signal);
  return platform;
}
