// `meshdeploy local serve`: run the embedded local room until interrupted. Prints its URL and
// token once (DESIGN.md), writes the token to DIR/token (0600) and marks DIR as served so
// `--local` runs elsewhere use this server instead of starting their own.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { UsageError } from "../../errors.js";
import { FileRefusedError, readRegularFile } from "../../regular-file.js";
import { claimServer, ensureDataDir, readTokenFile, releaseServer, writeTokenFile } from "../../local/data-dir.js";
import { describeFaults, resolveFaults } from "../../local/faults/resolve.js";
import { CLI_REQUEST_LOG_LIMIT, startLocalRoom } from "../../local/server.js";
import { localGeneration } from "./open-target.js";
import { printer, type CommandContext } from "./context.js";
import { LOCAL_DATA_DIR, LOCAL_PROJECT } from "./open-target.js";

export interface LocalServeArgs {
  port: number;
  data: string | undefined;
  token: string | undefined;
  /** --token-file FILE: the token from a file (argv is visible to every local user in `ps`). */
  tokenFile?: string | undefined;
  project: string | undefined;
  projectKey: string | undefined;
  registry: string | undefined;
  rooms: string[];
  /** --faults: inject faults (else MESHDEPLOY_LOCAL_FAULTS; see src/local/SPEC.md). */
  faults?: string | undefined;
  /** --platform 0.39.9|0.50.1: the MeshAgent generation the room speaks. */
  platform?: string | undefined;
  /** --strictness lenient|strict: where the real 0.50.1 server's leniency is unknown (SPEC.md). */
  strictness?: string | undefined;
}

/** The environment variable `local serve` reads its token from (audit L3: not only argv). */
export const TOKEN_ENV = "MESHDEPLOY_LOCAL_TOKEN";
const MAX_TOKEN_FILE_BYTES = 4096;

/** --token, else --token-file, else MESHDEPLOY_LOCAL_TOKEN; undefined: none given. */
async function givenToken(args: LocalServeArgs, ctx: CommandContext): Promise<string | undefined> {
  if (args.token !== undefined && args.tokenFile !== undefined) throw new UsageError("local serve: --token and --token-file both name the token; give one");
  if (args.token !== undefined) {
    ctx.io.err(`warning: --token is visible to every local user (ps); prefer --token-file FILE or ${TOKEN_ENV}`);
    return nonEmpty(args.token, "--token");
  }
  if (args.tokenFile !== undefined) {
    const file = path.resolve(ctx.io.cwd, args.tokenFile);
    let text: string;
    try {
      // Type and size checked on the opened descriptor too: a FIFO or /dev/zero swapped in after a
      // stat must not hang or fill memory (regular-file.ts).
      text = Buffer.from(await readRegularFile(file, { what: "token file", maxBytes: MAX_TOKEN_FILE_BYTES })).toString("utf8");
    } catch (error) {
      if (!(error instanceof FileRefusedError)) throw error;
      if (error.reason === "special" || error.reason === "directory") throw new UsageError(`local serve: --token-file ${args.tokenFile} is not a regular file`);
      if (error.reason === "too-large") throw new UsageError(`local serve: --token-file ${args.tokenFile} is larger than ${MAX_TOKEN_FILE_BYTES} bytes; a token file holds one line`);
      throw new UsageError(`local serve: cannot read --token-file ${args.tokenFile}: ${error.message}`);
    }
    return nonEmpty(text.trim(), `--token-file ${args.tokenFile}`);
  }
  const fromEnv = ctx.io.env[TOKEN_ENV];
  return fromEnv === undefined || fromEnv === "" ? undefined : nonEmpty(fromEnv.trim(), TOKEN_ENV);
}

function nonEmpty(token: string, source: string): string {
  if (token.trim() === "" || /\s/.test(token.trim())) throw new UsageError(`local serve: the token from ${source} is empty or contains whitespace`);
  return token.trim();
}

export async function localServeCommand(args: LocalServeArgs, ctx: CommandContext): Promise<number> {
  const { out, style } = printer(ctx);
  const faults = resolveFaults(args.faults, ctx.io.env);
  const dataDir = path.resolve(ctx.io.cwd, args.data ?? LOCAL_DATA_DIR);
  ensureDataDir(dataDir);
  const token = (await givenToken(args, ctx)) ?? readTokenFile(dataDir) ?? randomBytes(24).toString("base64url");
  const projectId = args.project ?? LOCAL_PROJECT;
  const room = await startLocalRoom({
    dataDir,
    token,
    projectId,
    port: args.port,
    rooms: args.rooms,
    faults,
    requestLogLimit: CLI_REQUEST_LOG_LIMIT,
    ...localGeneration(args.platform, args.strictness),
    ...(args.projectKey === undefined ? {} : { projectKey: args.projectKey }),
    ...(args.registry === undefined ? {} : { registry: args.registry }),
  });
  // Only once the room holds DIR/lock: a refused second server must not replace the token file.
  writeTokenFile(dataDir, token);
  claimServer(dataDir, { url: room.url, pid: process.pid });
  const shownDir = path.relative(ctx.io.cwd, dataDir) || dataDir;
  // The one place a token is printed on purpose: the local room's own, so clients can use it.
  ctx.io.out(`meshdeploy local room listening on ${room.url} (project ${projectId}, data ${shownDir})`);
  ctx.io.out(`token: ${token}  (also in ${path.join(shownDir, "token")}, mode 0600)`);
  out(style.dim(`  export MESHAGENT_API_URL=${room.url} MESHAGENT_PROJECT_ID=${projectId} MESHAGENT_API_KEY=$(cat ${path.join(shownDir, "token")})`));
  out(style.dim("  or run plan/apply with --local from this directory. Ctrl-C stops the room."));
  if (faults !== null) out(describeFaults(faults));
  await new Promise<void>((resolve) => {
    if (ctx.io.signal.aborted) resolve();
    ctx.io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await room.close();
  releaseServer(dataDir);
  out("local room stopped; state saved.");
  return 130;
}
