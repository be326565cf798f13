// `meshdeploy local serve`: run the embedded local room until interrupted. Prints its URL and
// token once (DESIGN.md), writes the token to DIR/token (0600) and marks DIR as served so
// `--local` runs elsewhere use this server instead of starting their own.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { claimServer, ensureDataDir, readTokenFile, releaseServer, writeTokenFile } from "../../local/data-dir.js";
import { describeFaults, resolveFaults } from "../../local/faults/resolve.js";
import { startLocalRoom } from "../../local/server.js";
import { localGeneration } from "./open-target.js";
import { printer, type CommandContext } from "./context.js";
import { LOCAL_DATA_DIR, LOCAL_PROJECT } from "./open-target.js";

export interface LocalServeArgs {
  port: number;
  data: string | undefined;
  token: string | undefined;
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

export async function localServeCommand(args: LocalServeArgs, ctx: CommandContext): Promise<number> {
  const { out, style } = printer(ctx);
  const faults = resolveFaults(args.faults, ctx.io.env);
  const dataDir = path.resolve(ctx.io.cwd, args.data ?? LOCAL_DATA_DIR);
  ensureDataDir(dataDir);
  const token = args.token ?? readTokenFile(dataDir) ?? randomBytes(24).toString("base64url");
  const projectId = args.project ?? LOCAL_PROJECT;
  const room = await startLocalRoom({
    dataDir,
    token,
    projectId,
    port: args.port,
    rooms: args.rooms,
    faults,
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
