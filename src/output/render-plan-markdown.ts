// Plan → GitHub-flavoured Markdown for pull-request comments and step summaries (Atlantis/tfcmt
// style): a summary line, a table per room (every declared service, with its action and why), and
// each change's field diff in a collapsible block. Orphans and problems become alerts. Secrets
// and tokens show as references, exactly as in the human output. Pure: returns lines.
import type { Change, Plan, PlannedService } from "../plan/types.js";
import { ATTENTION_TEXT, attentionOf } from "../plan/attention.js";
import { code, html, table, text } from "./markdown.js";
import { summaryLine, targetingNote } from "./render-plan.js";

export interface MarkdownOptions {
  /** Heading of the block (default "meshdeploy plan"). */
  title?: string;
  /** Shown under the summary, e.g. the target. */
  context?: string;
}

const ACTION: Record<PlannedService["type"], string> = { create: "**create**", update: "**update**", delete: "**delete**", noop: "no change" };

function value(v: string | null): string {
  return v === null ? "_(none)_" : code(v);
}

function changeRow(change: Change): string[] {
  return [code(change.path), value(change.before), value(change.after)];
}

function details(service: PlannedService): string[] {
  if (service.type === "noop" || service.changes.length === 0) return [];
  const n = service.changes.length;
  const summary = `<code>${html(service.name)}</code> (room ${html(service.room)}): ${service.type}, ${n} change${n === 1 ? "" : "s"}`;
  return ["<details>", `<summary>${summary}</summary>`, "", ...table(["Field", "Before", "After"], service.changes.map(changeRow)), "", "</details>", ""];
}

export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string[] {
  const problems = plan.problems.length;
  const headline = problems > 0 ? `Plan has ${problems} problem${problems === 1 ? "; nothing can be applied until it is fixed" : "s; nothing can be applied until they are fixed"}.` : summaryLine(plan);
  const ownerNote = plan.ownerSource?.type === "git" ? ` (from git ${text(plan.ownerSource.remote)}, ${text(plan.ownerSource.path)})` : plan.ownerSource?.type === "directory" ? " (the directory name)" : "";
  const facts = [...(plan.environment === undefined ? [] : [`environment ${code(plan.environment)}`]), `owner ${code(plan.owner)}${ownerNote}`, ...(plan.provenance ? [`commit ${code(plan.provenance.gitSha.slice(0, 7))}${plan.provenance.gitDirty ? " (uncommitted changes)" : ""}`] : [])];
  const lines = [`### ${text(options.title ?? "meshdeploy plan")}`, "", `**${text(headline)}**`, "", `${options.context ? `${text(options.context)} · ` : ""}${facts.join(" · ")}`, ""];
  const targeting = targetingNote(plan);
  if (targeting !== null) lines.push("> [!NOTE]", `> ${text(targeting)}`, "");
  const deletes = plan.services.filter((s) => s.type === "delete");
  if (deletes.length > 0) lines.push("> [!CAUTION]", `> **${deletes.length} to delete:** ${deletes.map((s) => `${code(s.name)} (room ${text(s.room)})`).join(", ")}`, "");
  const widened = plan.services.filter((s) => attentionOf(s).some((a) => a !== "delete"));
  if (widened.length > 0) lines.push("> [!WARNING]", `> **${widened.length} widen${widened.length === 1 ? "s" : ""} access:** ${widened.map((s) => `${code(s.name)} (${attentionOf(s).map((a) => (a === "public" ? "public" : "full token")).join(", ")})`).join(", ")}`, "");
  for (const s of plan.services) {
    for (const w of s.warnings ?? []) lines.push("> [!WARNING]", `> ${code(s.name)} in room ${text(s.room)}: ${text(w.message)}`, ...(w.hint ? [">", `> hint: ${text(w.hint)}`] : []), "");
  }
  for (const room of [...new Set(plan.services.map((s) => s.room))]) {
    const services = plan.services.filter((s) => s.room === room);
    const rows = services.map((s) => {
      const attention = attentionOf(s);
      const marks = attention.map((a) => `**⚠️ ${text(ATTENTION_TEXT[a])}**`).join("<br>");
      return [attention.length > 0 ? `⚠️ ${ACTION[s.type]}` : ACTION[s.type], code(s.name), code(s.image), marks === "" ? text(s.reason) : `${marks}<br>${text(s.reason)}`];
    });
    // Not push(...spread): a room of 10,000 services would overflow the call stack.
    for (const line of [`#### Room ${code(room)}`, "", ...table(["Action", "Service", "Image", "Why"], rows), "", ...services.flatMap(details)]) lines.push(line);
  }
  if (plan.orphans.length > 0) {
    const names = plan.orphans.map((o) => `${code(o.name)} (room ${text(o.room)})`).join(", ");
    lines.push("> [!WARNING]", `> ${plan.orphans.length} service${plan.orphans.length === 1 ? "" : "s"} owned by ${code(plan.owner)} no longer declared, kept because prune is off: ${names}`, "");
  }
  for (const p of plan.problems) {
    lines.push("> [!CAUTION]", `> ${code(p.name)} in room ${text(p.room)}: ${text(p.message)}`, ...(p.hint ? [">", `> hint: ${text(p.hint)}`] : []), "");
  }
  return trimEnd(lines);
}

export function trimEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1] === "") out.pop();
  return out;
}
