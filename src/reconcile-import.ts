// importRoom: the `.meshdeploy.yaml` that declares a room's live services (`meshdeploy import`,
// `meshdeploy init --from-room`). Each service is mapped (model/import-service.ts), the text is
// emitted, parsed back like any config and planned against the same room; a field group whose
// declaration would change the service is taken back out (the live value is then kept), until the
// plan is No changes or records-only adoption writes. What still differs is said in a comment.
import { ConfigError, MeshdeployError } from "./errors.js";
import { emitConfig, type EmittedService } from "./config/emit-config.js";
import { parseConfig } from "./config/load.js";
import { OWNER, ownershipOf } from "./model/annotations.js";
import { describePlatform } from "./model/platform.js";
import { importService, type FieldGroup, type ImportedService } from "./model/import-service.js";
import type { Route } from "./model/service-spec.js";
import type { Change, Plan, PlannedService } from "./plan/types.js";
import type { Target } from "./platform/target.js";
import { planDesired } from "./reconcile.js";

export interface ImportOptions {
  room: string;
  /** Only these services (all when empty). */
  services: readonly string[];
  /** The file the text is meant for (absolute; its directory name is the default owner). */
  file: string;
  /** The modeline's schema path, relative to `file`. */
  schema: string;
  /** `owner:` to write; default: the owner that manages the services, if one does, else the file's directory name. */
  owner?: string | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

export interface ImportReport {
  text: string;
  imported: string[];
  skipped: { name: string; reason: string }[];
  /** The plan of `text` against the room (what `meshdeploy plan` will show). */
  plan: Plan;
}

const MAX_ROUNDS = 4;

export async function importRoom(target: Target, options: ImportOptions): Promise<ImportReport> {
  const [platform, live] = await Promise.all([target.platform(), target.listServices(options.room)]);
  const routes: Route[] = await target.listRoomRoutes(options.room).catch(() => []);
  const unknown = options.services.filter((name) => !live.some((s) => s.metadata.name === name));
  if (unknown.length > 0) {
    throw new MeshdeployError("E_USAGE", `room ${options.room} has no service ${unknown.join(", ")}`, { hint: `its services: ${live.map((s) => s.metadata.name).sort().join(", ") || "(none)"}` });
  }
  const chosen = live.filter((s) => options.services.length === 0 || options.services.includes(s.metadata.name)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
  const owners = [...new Set(chosen.map((s) => ownershipOf(s.metadata.annotations)).filter((o) => o.managed).map((o) => o.owner ?? ""))];
  const owner = options.owner ?? (owners.length === 1 ? owners[0] : undefined);
  const skipped: ImportReport["skipped"] = [];
  let services: ImportedService[] = [];
  for (const service of chosen) {
    const theirs = ownershipOf(service.metadata.annotations);
    if (theirs.managed && owner !== undefined && theirs.owner !== owner) {
      skipped.push({ name: service.metadata.name, reason: `managed by meshdeploy owner "${service.metadata.annotations?.[OWNER] ?? ""}", not "${owner}"` });
      continue;
    }
    const result = importService(service, options.room, routes, platform);
    if (result.ok) services.push(result.service);
    else skipped.push({ name: result.name, reason: result.reason });
  }
  const header = [
    `Imported by \`meshdeploy import\` from room ${options.room} (project ${target.projectId}, ${describePlatform({ version: platform.version, source: platform.source })}).`,
    "Fields not written here are kept as each service has them; each entry says what it cannot express.",
    "`meshdeploy plan` should show No changes, or one records-only adoption write per service that",
    "meshdeploy does not manage yet (ownership annotations; no rebuild, no restart).",
  ];
  const render = (list: ImportedService[], pending: Map<string, string[]>): string =>
    emitConfig({
      schema: options.schema,
      header,
      top: { room: options.room, ...(owner === undefined ? {} : { owner }) },
      services: list.map((s): EmittedService => ({ entry: entryOf(s), comments: [...s.notes, ...(pending.get(s.name) ?? [])] })),
      footer: skipped.length === 0 ? [] : ["", "Not imported:", ...skipped.map((s) => `  ${s.name}: ${s.reason}`)],
    });
  let pending = new Map<string, string[]>();
  for (let round = 1; ; round++) {
    const text = render(services, pending);
    const plan = await planOf(target, text, options);
    const next = retreat(services, plan);
    if (!next.changed || round >= MAX_ROUNDS) {
      pending = next.pending;
      const finalText = render(next.services, pending);
      const finalPlan = next.changed ? await planOf(target, finalText, options) : plan;
      return { text: finalText, imported: next.services.map((s) => s.name), skipped, plan: finalPlan };
    }
    services = next.services;
  }
}

async function planOf(target: Target, text: string, options: ImportOptions): Promise<Plan> {
  const parsed = parseConfig(text, options.file, { env: options.env ?? {} });
  if (!parsed.ok) throw new ConfigError(parsed.diagnostics);
  return (await planDesired(target, parsed.desired, { secretCheck: false })).plan;
}

/** The config entry: the base fields, then each group (mount kinds under `mounts:`). */
function entryOf(service: ImportedService): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...service.groups.base };
  const mounts: Record<string, unknown> = {};
  for (const [group, fields] of Object.entries(service.groups)) {
    if (group === "base" || fields === undefined) continue;
    Object.assign(group.startsWith("mounts.") ? mounts : entry, fields);
  }
  return Object.keys(mounts).length > 0 ? { ...entry, mounts } : entry;
}

/** Which group a changed path belongs to (null: none can be taken back, e.g. the image). */
function groupOf(path: string): FieldGroup | null {
  if (path.startsWith("container.environment.")) return "environment";
  const mount = /^container\.storage\.(room|project|images|emptyDirs|volumes)\[/.exec(path);
  if (mount) return `mounts.${mount[1]}` as FieldGroup;
  if (path.startsWith("ports[")) return "ports";
  if (path.startsWith("container.run_as.")) return "runAs";
  if (path === "container.template") return "template";
  if (path === "enabled") return "enabled";
  if (path === "metadata.annotations.meshagent.request.validation.method") return "validation";
  if (path.startsWith("route[")) return "domain";
  return null;
}

/** A change to the service or its route itself (not meshdeploy's records: its annotations, a route taken over as it is). */
function isServiceChange(change: Change): boolean {
  if (change.path.startsWith("metadata.annotations.meshdeploy.")) return false;
  return !(change.path.startsWith("route[") && change.before === change.after);
}

function retreat(services: ImportedService[], plan: Plan): { services: ImportedService[]; changed: boolean; pending: Map<string, string[]> } {
  let changed = false;
  const pending = new Map<string, string[]>();
  const next = services.map((service) => {
    const planned = plan.services.find((s) => s.name === service.name);
    const problem = plan.problems.find((p) => p.name === service.name);
    const groups = { ...service.groups };
    if (problem !== undefined) {
      const droppable = Object.keys(groups).filter((g) => g !== "base");
      if (droppable.length > 0) {
        for (const g of droppable) delete groups[g as FieldGroup];
        changed = true;
        return { ...service, groups, notes: [...service.notes, `declared fields left out: the plan refused them (${problem.message})`] };
      }
      pending.set(service.name, [`plan problem: ${problem.message}`]);
      return service;
    }
    const paths = (planned?.changes ?? []).filter(isServiceChange).map((c) => c.path);
    const drop = [...new Set(paths.map(groupOf).filter((g): g is FieldGroup => g !== null && groups[g] !== undefined))];
    if (drop.length > 0) {
      for (const g of drop) delete groups[g];
      changed = true;
      return { ...service, groups, notes: [...service.notes, ...drop.map((g) => `${g} left out: declaring it as the service has it would still change it; kept as it is`)] };
    }
    const remaining = paths;
    if (planned !== undefined && remaining.length > 0) pending.set(service.name, [`apply will still change ${remaining.join(", ")}${restartNote(planned)} (meshdeploy writes these as \`meshagent deploy\` does)`]);
    return service;
  });
  return { services: next, changed, pending };
}

function restartNote(planned: PlannedService): string {
  return planned.restart ? " and restart it" : "";
}
