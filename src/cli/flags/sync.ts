// Flags of `meshdeploy sync` (the GitOps pull loop): no --file; the config comes from --repo.
import type { SyncArgs } from "../commands/sync.js";
import { UsageError } from "../../errors.js";
import { ownerList, parseCommand, positiveInt, targetOptions } from "../parse.js";
import { runArgs, runOptions, targetArgs, type Parsed } from "./common.js";

export function syncFlags(argv: string[]): Parsed<SyncArgs> {
  const { file: _file, ...connection } = targetOptions;
  const { values } = parseCommand("sync", argv, {
    ...connection,
    ...runOptions,
    repo: { type: "string" },
    ref: { type: "string" },
    path: { type: "string" },
    interval: { type: "string" },
    once: { type: "boolean" },
    prune: { type: "boolean" },
    "adopt-from": { type: "string", multiple: true },
    "log-format": { type: "string" },
    heartbeat: { type: "string" },
    listen: { type: "string" },
    suspend: { type: "boolean" },
    "suspend-file": { type: "string" },
    "self-heal": { type: "boolean" },
    notify: { type: "string", multiple: true },
    "github-status": { type: "boolean" },
    "github-repo": { type: "string" },
    "github-api-url": { type: "string" },
  });
  if (values.help) return "help";
  if (values.repo === undefined) throw new UsageError("sync: --repo URL is required", "e.g. meshdeploy sync --repo https://github.com/acme/deploy.git --ref main");
  const { file: _none, ...target } = targetArgs(values);
  return {
    ...target,
    ...runArgs("sync", values),
    repo: values.repo,
    ref: values.ref,
    path: values.path ?? ".meshdeploy.yaml",
    intervalSeconds: positiveInt("sync", "interval", values.interval, 60),
    once: values.once ?? false,
    prune: values.prune ?? false,
    adoptFrom: ownerList("sync", values["adopt-from"]),
    faults: values.faults,
    logFormat: values["log-format"] ?? "text",
    heartbeatSeconds: positiveInt("sync", "heartbeat", values.heartbeat, 3600),
    listen: values.listen,
    suspend: values.suspend ?? false,
    suspendFile: values["suspend-file"],
    selfHeal: values["self-heal"] ?? true,
    notify: values.notify ?? [],
    githubStatus: values["github-status"] ?? false,
    githubRepo: values["github-repo"],
    githubApiUrl: values["github-api-url"],
  };
}
