// `meshdeploy logs SERVICE [--room R] [-f] [--tail N]`: the container logs of a service through
// the room (containers.logs), for the local room and a real one. The service is found by name in
// its declared room (or --room); its running container comes from services.list. A read.
import path from "node:path";
import { loadConfig } from "../../config/load.js";
import { MeshdeployError, UsageError } from "../../errors.js";
import { stripCriPrefix } from "../../apply/log-tail.js";
import { resolveNames } from "../../read/resolve-names.js";
import { configVariables, DEFAULT_CONFIG, printer, type CommandContext } from "./context.js";
import { openTarget, type TargetFlags } from "./open-target.js";

export interface LogsArgs extends TargetFlags {
  file: string | undefined;
  service: string;
  room: string | undefined;
  follow: boolean;
  tail: number | undefined;
}

export async function logsCommand(args: LogsArgs, ctx: CommandContext): Promise<number> {
  const { out } = printer(ctx);
  const file = path.resolve(ctx.io.cwd, args.file ?? DEFAULT_CONFIG);
  const desired = await loadConfig(file, configVariables(args, ctx.io));
  const opened = await openTarget(args, desired, ctx.io, ctx.redactor);
  try {
    const declared = await resolveNames(desired, opened.target);
    const rooms = [...new Set(declared.map((s) => s.room))];
    const room = args.room ?? declared.find((s) => s.name === args.service)?.room ?? (rooms.length === 1 ? rooms[0] : undefined);
    if (room === undefined) {
      throw new UsageError(`logs: ${args.service} is not declared in ${path.basename(file)}, and the config names ${rooms.length} rooms`, "name the room with --room R");
    }
    const live = (await opened.target.listServices(room)).find((s) => (s.metadata as { name?: string }).name === args.service);
    if (live === undefined) throw new MeshdeployError("E_ROOM", `logs: room ${room} has no service named ${args.service}`, { hint: "`meshdeploy status` shows the declared services and where they run" });
    const session = await opened.target.room(room);
    const state = (await session.serviceStates()).get(live.id);
    if (state?.containerId == null) throw new MeshdeployError("E_ROOM", `logs: ${args.service} (room ${room}) has no container${state ? ` (state ${state.state})` : ""}`, { hint: "a disabled service has none; otherwise it has not started yet" });
    await session.streamContainerLogs(state.containerId, (line) => out(stripCriPrefix(line)), {
      follow: args.follow,
      signal: ctx.io.signal,
      ...(args.tail === undefined ? {} : { tail: args.tail }),
    });
    return 0;
  } finally {
    await opened.close();
  }
}
