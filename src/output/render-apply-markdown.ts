// Apply result → Markdown for step summaries: the outcome line and a table of what happened to
// each service (failures with their message). Pure: returns lines.
import type { ApplyResult, Outcome } from "../apply/apply-plan.js";
import { code, table, text } from "./markdown.js";
import { trimEnd } from "./render-plan-markdown.js";

const OUTCOME: Record<Outcome, string> = { created: "created", updated: "updated", deleted: "deleted", unchanged: "unchanged", failed: "**failed**", skipped: "skipped" };

export function renderApplyMarkdown(result: ApplyResult, options: { title?: string } = {}): string[] {
  const s = result.summary;
  const counts = `${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged`;
  const extra = [s.failed > 0 ? `${s.failed} failed` : "", s.skipped > 0 ? `${s.skipped} skipped` : ""].filter(Boolean).join(", ");
  const headline = s.failed === 0 && s.skipped === 0 ? `Apply complete: ${counts}.` : `Apply finished with errors: ${counts}, ${extra}.`;
  const rows = result.results
    .filter((r) => r.outcome !== "unchanged")
    .map((r) => [
      code(r.service.name),
      code(r.service.room),
      r.written ? `${r.written}, ${OUTCOME.failed} to come up` : OUTCOME[r.outcome],
      r.error ? text(r.error.message) : r.id ? `id ${code(r.id)}` : "",
    ]);
  return trimEnd([`### ${text(options.title ?? "meshdeploy apply")}`, "", `**${text(headline)}**`, "", ...(rows.length > 0 ? table(["Service", "Room", "Outcome", "Detail"], rows) : [])]);
}
