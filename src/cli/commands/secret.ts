// `meshdeploy secret set|list|delete`: the secrets a config refers to, per generation. 0.39: room
// secrets of an identity (--identity, in --room); 0.45+: secrets of a service account (--run-as).
// A value comes from stdin or --from-env VAR, never from argv, and is redacted from every line.
import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { MeshdeployError, UsageError } from "../../errors.js";
import { isValidRoomName } from "../../model/room-name.js";
import { hasFeature, type Platform } from "../../model/platform.js";
import type { SecretOwner } from "../../platform/secrets-rest.js";
import type { Target } from "../../platform/target.js";
import { configVariables, DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";
import { openTarget, type TargetConfig, type TargetFlags } from "./open-target.js";

export type SecretAction = "set" | "list" | "delete";

export interface SecretArgs extends TargetFlags {
  action: SecretAction;
  /** The secret id (0.45+: an existing secret's id or name, or the name of a new one); absent for list. */
  id: string | undefined;
  file: string | undefined;
  room: string | undefined;
  identity: string | undefined;
  runAs: string | undefined;
  fromEnv: string | undefined;
  output: string;
}

export async function secretCommand(args: SecretArgs, ctx: CommandContext): Promise<number> {
  if (args.action !== "list" && (args.id === undefined || args.id === "")) throw new UsageError(`secret ${args.action}: the secret ID is required`, `e.g. meshdeploy secret ${args.action} DB_PASSWORD --identity web`);
  if (args.identity !== undefined && args.runAs !== undefined) throw new UsageError(`secret ${args.action}: give --identity (MeshAgent 0.39 room secrets) or --run-as (0.45+ service-account secrets), not both`);
  if (args.output !== "human" && args.output !== "json") throw new UsageError(`secret ${args.action}: --output expects human or json; got "${args.output}"`);
  // Read the value before opening anything: a missing value starts nothing.
  const value = args.action === "set" ? await readValue(args, ctx) : null;
  const config = await targetConfig(args, ctx);
  const opened = await openTarget(args, config, ctx.io, ctx.redactor);
  try {
    const owner = await resolveOwner(args, config, await opened.target.platform());
    if (owner.kind === "identity" && opened.createRooms) await opened.target.ensureRoom(owner.room);
    return await run(args, owner, value, opened.target, ctx);
  } finally {
    await opened.close();
  }
}

async function run(args: SecretArgs, owner: SecretOwner, value: Buffer | null, target: Target, ctx: CommandContext): Promise<number> {
  const { out, err } = printer(ctx);
  const whose = describeOwner(owner);
  if (args.action === "set") {
    const written = await target.setSecret(owner, args.id!, value!);
    err(`${written.created ? "Created" : "Updated"} secret ${args.id} ${whose} (${value!.length} bytes).`);
    if (owner.kind === "account") err(`Reference it in .meshdeploy.yaml as \`secrets: {ENV_NAME: ${written.id}}\` with \`runAs: {email: ${owner.email}}\`.`);
    if (args.output === "json") out(JSON.stringify({ formatVersion: 1, id: written.id, created: written.created }));
    return 0;
  }
  if (args.action === "delete") {
    const result = await target.deleteSecret(owner, args.id!);
    err(result === "deleted" ? `Deleted secret ${args.id} ${whose}.` : `Secret ${args.id} ${whose} did not exist; nothing was deleted.`);
    return 0;
  }
  const secrets = await target.listSecrets(owner);
  if (secrets === null) throw noAccount(owner);
  if (args.output === "json") out(JSON.stringify({ formatVersion: 1, secrets }, null, 2));
  else if (secrets.length === 0) err(`No secrets ${whose}.`);
  else for (const secret of secrets) out(secret.name === secret.id ? `${secret.id}\t${secret.type}` : `${secret.id}\t${secret.name}\t${secret.type}`);
  return 0;
}

function describeOwner(owner: SecretOwner): string {
  return owner.kind === "identity" ? `for identity ${owner.identity} in room ${owner.room}` : `of service account ${owner.email}`;
}

function noAccount(owner: SecretOwner): MeshdeployError {
  return new MeshdeployError("E_SECRETS", `${describeOwner(owner)}: no such service account`, { hint: "create it first (meshagent service-account create …), or fix --run-as" });
}

/** The value: --from-env VAR, else all of stdin (one trailing newline dropped, as `echo` adds it). */
async function readValue(args: SecretArgs, ctx: CommandContext): Promise<Buffer> {
  let value: Buffer;
  if (args.fromEnv !== undefined) {
    const raw = ctx.io.env[args.fromEnv];
    if (raw === undefined) throw new UsageError(`secret set: --from-env ${args.fromEnv}: that variable is not set`);
    value = Buffer.from(raw);
  } else {
    if (ctx.io.readStdin === undefined || ctx.io.stdinIsTerminal !== false) {
      throw new UsageError("secret set: pipe the value on stdin or name a variable with --from-env VAR (a value is never taken from the command line)", "e.g. printf %s \"$DB_PASSWORD\" | meshdeploy secret set DB_PASSWORD --identity web");
    }
    const raw = await ctx.io.readStdin();
    value = raw.at(-1) === 0x0a ? raw.subarray(0, raw.at(-2) === 0x0d ? -2 : -1) : raw;
  }
  if (value.length === 0) throw new UsageError("secret set: the value is empty");
  ctx.redactor.add(value.toString("utf8"));
  ctx.redactor.add(value.toString("base64"));
  return value;
}

/** The config (when -f names one or .meshdeploy.yaml exists) gives the project, the platform and the default room. */
async function targetConfig(args: SecretArgs, ctx: CommandContext): Promise<TargetConfig & { rooms: string[] }> {
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  if (args.file === undefined && !existsSync(file)) return { project: null, platform: null, rooms: [] };
  const desired = await loadConfig(file, configVariables(args, ctx.io));
  return { project: desired.project, platform: desired.platform, file: desired.file, rooms: [...new Set(desired.services.map((s) => s.room))] };
}

async function resolveOwner(args: SecretArgs, config: { rooms: string[] }, platform: Platform): Promise<SecretOwner> {
  const accounts = hasFeature(platform, "serviceAccountSecrets");
  const verb = `secret ${args.action}`;
  if (accounts) {
    if (args.runAs === undefined) {
      throw new UsageError(`${verb}: MeshAgent ${platform.version} keeps secrets per service account: give --run-as EMAIL`, args.identity !== undefined ? "--identity names a 0.39 room-secret identity; room secrets were removed in MeshAgent 0.45" : undefined);
    }
    return { kind: "account", email: args.runAs.trim().toLowerCase() };
  }
  if (args.identity === undefined) {
    throw new UsageError(`${verb}: MeshAgent ${platform.version} keeps secrets per room identity: give --identity NAME (the service's identity: its \`identity:\`, else its name)`, args.runAs !== undefined ? "--run-as names a service account, which MeshAgent 0.45+ uses" : undefined);
  }
  const room = args.room ?? (config.rooms.length === 1 ? config.rooms[0] : undefined);
  if (room === undefined || room === "") throw new UsageError(`${verb}: give --room ROOM${config.rooms.length > 1 ? ` (the config names ${config.rooms.join(", ")})` : ""}`);
  if (!isValidRoomName(room)) throw new UsageError(`${verb}: "${room}" is not a valid room name`);
  return { kind: "identity", room, identity: args.identity };
}
