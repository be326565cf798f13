// Flags of `meshdeploy local serve` (the embedded local room as a server).
import type { LocalServeArgs } from "../commands/local-serve.js";
import { UsageError } from "../../errors.js";
import { parseCommand, portNumber, targetOptions } from "../parse.js";
import type { Parsed } from "./common.js";

export function localFlags(argv: string[]): Parsed<LocalServeArgs> {
  const [sub, ...args] = argv;
  if (sub === "--help" || sub === "-h") return "help";
  if (sub === undefined) throw new UsageError("`meshdeploy local` needs a subcommand", "run `meshdeploy local serve` to start the local room");
  if (sub !== "serve") throw new UsageError(`unknown command: local ${sub}`, "did you mean `meshdeploy local serve`?");
  const { values } = parseCommand("local serve", args, {
    port: { type: "string" },
    data: { type: "string" },
    token: { type: "string" },
    "token-file": { type: "string" },
    project: { type: "string" },
    "project-key": { type: "string" },
    registry: { type: "string" },
    room: { type: "string", multiple: true },
    faults: { type: "string" },
    platform: { type: "string" },
    strictness: { type: "string" },
    help: targetOptions.help,
  });
  if (values.help) return "help";
  return {
    port: portNumber("local serve", "port", values.port, 8787),
    data: values.data,
    token: values.token,
    tokenFile: values["token-file"],
    project: values.project,
    projectKey: values["project-key"],
    registry: values.registry,
    rooms: values.room ?? [],
    faults: values.faults,
    platform: values.platform,
    strictness: values.strictness,
  };
}
