// Every service ends up in a room (its own `room:` or the top-level one), and every room name
// written follows MeshAgent's rule (api helpers.py `is_valid_room_name`, platform-api.md §3.1).
// Pure; does not check that the room exists (that needs the network).
import type { Diagnostic, SourceLocation } from "../../diagnostic.js";
import { quote } from "../describe-value.js";
import { isValidRoomName, ROOM_NAME_PATTERN } from "../../model/room-name.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export { isValidRoomName };

const ROOM_RULE = "1–63 lowercase letters, digits or '-', starting and ending with a letter or digit";

export function roomRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const { config } = ctx;
  if (config.room !== undefined && !isValidRoomName(config.room)) {
    out.push(badName(ctx.locate(["room"]), "room", config.room));
  }
  for (const service of ctx.services) {
    const written = config.services[service.index]?.room;
    if (written !== undefined) {
      if (!isValidRoomName(written)) out.push(badName(ctx.locate(servicePath(service, "room")), `services[${service.index}].room`, written));
    } else if (config.room === undefined) {
      out.push(
        diagnostic(
          "service-room",
          service.locations.service,
          `Expected a room for service \`${service.tag}\`, got none`,
          "set `room:` on the service, or a top-level `room:` used by every service that names none",
        ),
      );
    }
  }
  return out;
}

function badName(location: SourceLocation, label: string, name: string): Diagnostic {
  return diagnostic(
    "room-name",
    location,
    `Expected a MeshAgent room name (${ROOM_RULE}) for \`${label}\`, got ${quote(name)}`,
    `room names match ${ROOM_NAME_PATTERN.source} and are at most 63 characters`,
  );
}
