// Plan → human lines: a block per service grouped by room (`+` create, `~` update, `-` delete),
// then orphans, problems and one summary line. Pure: returns lines, the caller prints.
import path from "node:path";
import { groupByRoom } from "../model/by-room.js";
import type { Change, Plan, PlannedService } from "../plan/types.js";
import { ATTENTION_TEXT, attentionOf } from "../plan/attention.js";
import { describeTargets, isTargeting } from "../model/targets.js";
import { foldChanges } from "./fold-changes.js";
import type { Style } from "./style.js";

const SIGN: Record<PlannedService["type"], string> = { create: "+", update: "~", delete: "-", noop: "=" };

/**
 * A value as one line: quoted (JSON escapes) when it is empty, has edge whitespace or holds a
 * control character, so a newline cannot break the layout and an escape sequence cannot reach
 * the terminal.
 */
function show(value: string | null): string {
  if (value === null) return "(none)";
  return value === "" || /^\s|\s$|\p{Cc}/u.test(value) ? JSON.stringify(value) : value;
}

function changeLine(change: Change, style: Style, also: readonly string[] = []): string {
  const same = also.length === 0 ? "" : `same on ${also.join(", ")}`;
  if (change.before === null) return style.green(`      + ${change.path} = ${show(change.after)}${same === "" ? "" : ` (${same})`}`);
  if (change.after === null) return style.red(`      - ${change.path} (was ${show(change.before)}${same === "" ? "" : `; ${same}`})`);
  return style.yellow(`      ~ ${change.path}: ${show(change.before)} → ${show(change.after)}${same === "" ? "" : ` (${same})`}`);
}

/** The change lines: every one with --verbose, else with meshdeploy's bookkeeping folded into one line (fold-changes.ts). */
function changeLines(changes: readonly Change[], style: Style, verbose: boolean): string[] {
  if (verbose) return changes.map((c) => changeLine(c, style));
  const folded = foldChanges(changes);
  const lines = folded.shown.map(({ change, also }) => changeLine(change, style, also));
  if (folded.bookkeeping.length > 0) lines.push(style.dim(`      ${folded.added ? "+" : "~"} meshdeploy bookkeeping (${folded.bookkeeping.join(", ")}; --verbose shows each)`));
  return lines;
}

function paint(type: PlannedService["type"], text: string, style: Style): string {
  return type === "create" ? style.green(text) : type === "update" ? style.yellow(text) : type === "delete" ? style.red(text) : style.dim(text);
}

/** A service's warnings: the message, where it is written (relative to `cwd`) and the way out. */
function warningLines(service: PlannedService, style: Style, cwd: string | undefined): string[] {
  return (service.warnings ?? []).flatMap((w) => [
    style.yellow(`      ! warning: ${w.message}`),
    ...(w.location ? [style.dim(`        --> ${shownFile(w.location.file, cwd)}:${w.location.line}:${w.location.column}`)] : []),
    ...(w.hint ? [style.dim(`        hint: ${w.hint}`)] : []),
  ]);
}

export function renderServiceBlock(service: PlannedService, style: Style, options: { verbose: boolean; cwd?: string }): string[] {
  if (service.type === "noop") {
    // A warning is shown on every plan until it is fixed, so an up-to-date service still shows it.
    const warnings = warningLines(service, style, options.cwd);
    return options.verbose || warnings.length > 0 ? [style.dim(`  = ${service.name}  up to date${service.disabled ? " (disabled)" : ""}`), ...warnings] : [];
  }
  const attention = attentionOf(service);
  const action = paint(service.type, service.type, style);
  const head = `  ${SIGN[service.type]} ${style.bold(service.name)}  ${attention.length > 0 ? style.bold(action) : action}  ${style.dim(service.digest ? `${service.image} (pinned ${service.digest.slice(0, 19)}…)` : service.image)}`;
  const why = style.dim(`      ${service.reason}${service.disabled && service.type !== "delete" ? "; disabled (enabled: false): written, never started or waited for" : ""}`);
  const marks = attention.map((a) => style.bold(style.red(`      ! ${ATTENTION_TEXT[a]}`)));
  const notes = (service.notes ?? []).map((note) => style.dim(`      note: ${note}`));
  return [head, ...marks, why, ...warningLines(service, style, options.cwd), ...notes, ...changeLines(service.changes, style, options.verbose)];
}

/** One line per kind of attention over the whole plan, just above the summary, so a long plan's deletes are not missed. */
function attentionSummary(plan: Plan, style: Style): string[] {
  const lines: string[] = [];
  const deletes = plan.services.filter((s) => s.type === "delete");
  if (deletes.length > 0) lines.push(style.bold(style.red(`! ${deletes.length} to delete: ${deletes.map((s) => `${s.name} (room ${s.room})`).join(", ")}`)));
  const widened = plan.services.filter((s) => attentionOf(s).some((a) => a !== "delete"));
  if (widened.length > 0) {
    const what = widened.map((s) => `${s.name} (${attentionOf(s).map((a) => (a === "public" ? "public" : "full token")).join(", ")})`);
    lines.push(style.bold(style.yellow(`! ${widened.length} widen${widened.length === 1 ? "s" : ""} access: ${what.join(", ")}`)));
  }
  return lines;
}

export function summaryLine(plan: Plan): string {
  const { create, update, delete: del, noop } = plan.summary;
  if (create + update + del === 0) return `No changes. ${noop} service${noop === 1 ? "" : "s"} up to date.`;
  return `Plan: ${create} to create, ${update} to update, ${del} to delete, ${noop} unchanged.`;
}

export interface RenderPlanOptions {
  verbose?: boolean;
  /** Problem locations are shown relative to this directory (absolute otherwise). */
  cwd?: string;
  /**
   * What turns prune on where the plan is shown, for the orphans' hint. plan and apply follow
   * `--prune` and the config's `prune: true` (the default); watch follows only its own `--prune`
   * (loops/watch/cycle.ts), so pointing a watch user at the config would send them to a switch that
   * does nothing there.
   */
  pruneSwitch?: PruneSwitch;
}

export type PruneSwitch = "flag-or-config" | "watch-flag";

const KEPT_HINT: Record<PruneSwitch, string> = {
  "flag-or-config": "kept because prune is off; run with --prune (or set `prune: true`) to delete them",
  "watch-flag": "kept because prune is off in watch (it does not follow the config's `prune:`); run watch with --prune to delete them",
};

function shownFile(file: string, cwd: string | undefined): string {
  if (cwd === undefined) return file;
  const relative = path.relative(cwd, file);
  return relative === "" || relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

/**
 * `targeting: --service api --room staging (…)` for a targeted plan, null otherwise. Worded like
 * Terraform's -target warning: targeting is for exceptions, the whole config is the routine.
 */
export function targetingNote(plan: Pick<Plan, "targets">): string | null {
  if (!isTargeting(plan.targets)) return null;
  return `targeting: ${describeTargets(plan.targets)} (only these services; prune and orphan listing off; not for routine use)`;
}

export function renderPlan(plan: Plan, style: Style, options: RenderPlanOptions = {}): string[] {
  const lines: string[] = [];
  const note = targetingNote(plan);
  if (note !== null) lines.push(style.yellow(`! ${note}`), "");
  for (const [room, services] of groupByRoom(plan.services)) {
    const block = services.flatMap((s) => renderServiceBlock(s, style, { verbose: options.verbose ?? false, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) }));
    if (block.length > 0) lines.push(style.bold(`room ${room}`), ...block, "");
  }
  if (plan.orphans.length > 0) {
    const names = plan.orphans.map((o) => `${o.name} (room ${o.room}${o.protected ? ", protected" : ""})`).join(", ");
    lines.push(style.yellow(`! ${plan.orphans.length} service${plan.orphans.length === 1 ? "" : "s"} owned by ${plan.owner} no longer declared: ${names}`));
    lines.push(style.dim(`  ${KEPT_HINT[options.pruneSwitch ?? "flag-or-config"]}`), "");
  }
  for (const w of plan.warnings ?? []) lines.push(style.yellow(`! ${w}`), "");
  for (const p of plan.problems) {
    lines.push(style.red(`✗ ${p.name} in room ${p.room}: ${p.message}`));
    if (p.location) lines.push(style.dim(`  --> ${shownFile(p.location.file, options.cwd)}:${p.location.line}:${p.location.column}`));
    if (p.hint) lines.push(style.dim(`  hint: ${p.hint}`));
  }
  if (plan.problems.length > 0) lines.push("");
  if (plan.problems.length === 0) lines.push(...attentionSummary(plan, style));
  lines.push(plan.problems.length > 0 ? style.red(`Plan has ${plan.problems.length} problem${plan.problems.length === 1 ? "; nothing can be applied until it is fixed" : "s; nothing can be applied until they are fixed"}.`) : summaryLine(plan));
  return lines;
}
