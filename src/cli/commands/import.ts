// `meshdeploy import --room R [--service NAME…] [-o FILE]`: write the `.meshdeploy.yaml` that
// declares a room's live services (to stdout, or FILE, never over an existing file without
// --force), checked by planning it against the same room.
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError } from "../../errors.js";
import { importRoom, type ImportReport } from "../../reconcile-import.js";
import { isValidRoomName } from "../../model/room-name.js";
import { DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";
import { openTarget, type TargetFlags } from "./open-target.js";

export interface ImportArgs extends TargetFlags {
  room: string | undefined;
  services: string[];
  out: string | undefined;
  owner: string | undefined;
  force: boolean;
}

/** The schema shipped with meshdeploy, relative to the directory the config is written in. */
export function schemaPathFor(dir: string): string {
  const schema = fileURLToPath(new URL("../../../schemas/meshdeploy.schema.json", import.meta.url));
  const relative = path.relative(dir, schema).split(path.sep).join("/");
  return relative.startsWith(".") ? relative : `./${relative}`;
}

export async function importCommand(args: ImportArgs, ctx: CommandContext): Promise<number> {
  if (args.room === undefined || args.room === "") throw new UsageError("import: --room ROOM is required", "e.g. meshdeploy import --room dev -o .meshdeploy.yaml");
  if (!isValidRoomName(args.room)) throw new UsageError(`import: "${args.room}" is not a valid room name`);
  const { out, err } = printer(ctx);
  const file = path.resolve(ctx.io.cwd, args.out ?? DEFAULT_CONFIG);
  if (args.out !== undefined && existsSync(file) && !args.force) throw new UsageError(`import: ${args.out} already exists; nothing was written`, "pass --force to replace it, or -o another file");
  const report = await runImport(args, file, ctx);
  if (args.out === undefined) out(report.text.trimEnd());
  else await writeFile(file, report.text, { flag: args.force ? "w" : "wx" });
  for (const line of summary(report, args.out)) err(line);
  return 0;
}

/** Opens the target, imports, closes; shared with `init --from-room`. */
export async function runImport(args: ImportArgs, file: string, ctx: CommandContext): Promise<ImportReport> {
  const opened = await openTarget(args, { project: null, platform: null, file }, ctx.io, ctx.redactor);
  try {
    return await importRoom(opened.target, { room: args.room!, services: args.services, file, schema: schemaPathFor(path.dirname(file)), owner: args.owner, env: ctx.io.env });
  } finally {
    await opened.close();
  }
}

export function summary(report: ImportReport, written: string | undefined): string[] {
  const { create, update, delete: deletes } = report.plan.summary;
  const restarts = report.plan.services.filter((s) => s.restart).length;
  const lines = [
    `Imported ${report.imported.length} service${report.imported.length === 1 ? "" : "s"}${written === undefined ? "" : ` into ${written}`}${report.skipped.length > 0 ? `; left out ${report.skipped.length} (listed at the end of the file)` : ""}.`,
    create + update + deletes === 0
      ? "Its plan: No changes."
      : `Its plan: ${update} update${update === 1 ? "" : "s"}${restarts > 0 ? ` (${restarts} with a restart: see the comments)` : " (meshdeploy's records only: no rebuild, no restart)"}${create + deletes > 0 ? `, ${create} create, ${deletes} delete` : ""}.`,
  ];
  return lines;
}
