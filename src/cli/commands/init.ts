// `meshdeploy init [DIR] [--room R] [--from-room R]`: write DIR/.meshdeploy.yaml, from DIR's
// Dockerfile (EXPOSE → ports, VOLUME → mounts) or, with --from-room, from a room's live services
// (as `meshdeploy import`). Never over an existing file without --force; the result is re-read.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { findDockerfile, readDockerfileText } from "../../build-context/dockerfile-find.js";
import { parseDockerfileMetadata } from "../../build-context/dockerfile.js";
import { initConfig } from "../../config/init-config.js";
import { parseConfig } from "../../config/load.js";
import { ConfigError, UsageError } from "../../errors.js";
import { isValidRoomName } from "../../model/room-name.js";
import { DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";
import { runImport, schemaPathFor, summary } from "./import.js";
import type { TargetFlags } from "./open-target.js";

export interface InitArgs extends TargetFlags {
  dir: string | undefined;
  room: string | undefined;
  fromRoom: string | undefined;
  force: boolean;
}

export async function initCommand(args: InitArgs, ctx: CommandContext): Promise<number> {
  const { err } = printer(ctx);
  const dir = path.resolve(ctx.io.cwd, args.dir ?? ".");
  const file = path.join(dir, DEFAULT_CONFIG);
  const shown = path.relative(ctx.io.cwd, file) || file;
  if (existsSync(file) && !args.force) throw new UsageError(`init: ${shown} already exists; nothing was written`, "pass --force to replace it");
  for (const room of [args.room, args.fromRoom]) if (room !== undefined && !isValidRoomName(room)) throw new UsageError(`init: "${room}" is not a valid room name`);
  if (args.fromRoom !== undefined) {
    const report = await runImport({ ...args, room: args.fromRoom, services: [], out: shown, owner: undefined, force: args.force }, file, ctx);
    await writeFile(file, report.text, { flag: args.force ? "w" : "wx" });
    for (const line of summary(report, shown)) err(line);
    return 0;
  }
  const found = await findDockerfile(dir).catch(() => null);
  if (found === null) throw new UsageError(`init: no Dockerfile or Containerfile in ${args.dir ?? "."}`, "run it in a build context, or start from a room's services with --from-room ROOM");
  const metadata = parseDockerfileMetadata(await readDockerfileText(dir, found));
  const text = initConfig({ name: path.basename(dir), room: args.room ?? "dev", dockerfile: found.relativePath, metadata, schema: schemaPathFor(dir) });
  // What init writes must load like any config.
  const parsed = parseConfig(text, file, { env: ctx.io.env });
  if (!parsed.ok) throw new ConfigError(parsed.diagnostics);
  await writeFile(file, text, { flag: args.force ? "w" : "wx" });
  err(`Wrote ${shown}: one service built from ${found.relativePath}${metadata.exposedPorts.length > 0 ? `, ports ${metadata.exposedPorts.join(", ")}` : ""}${metadata.volumes.length > 0 ? `, mounts for ${metadata.volumes.join(", ")}` : ""}, room ${args.room ?? "dev"}.`);
  err(`Next: meshdeploy plan --local -f ${shown}`);
  return 0;
}
