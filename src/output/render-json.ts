// The machine-readable documents besides the plan (docs/json-output.md): a command's config
// diagnostics or error (`validate`/`plan`/`apply --output json`, like `terraform validate -json`),
// `validate`'s success, and what `apply` did per service. Versioned with `formatVersion`: fields
// are only ever added. Pure.
import path from "node:path";
import type { ApplyResult } from "../apply/apply-plan.js";
import type { Diagnostic } from "../diagnostic.js";
import type { Plan } from "../plan/types.js";
import { planToJson } from "./render-plan-json.js";

export const JSON_FORMAT_VERSION = 1;

function relative(cwd: string, file: string): string {
  if (!path.isAbsolute(file)) return file;
  return (path.relative(cwd, file) || file).split(path.sep).join("/");
}

export function diagnosticsToJson(command: string, diagnostics: readonly Diagnostic[], cwd: string): Record<string, unknown> {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    command,
    valid: false,
    errorCount: diagnostics.length,
    diagnostics: diagnostics.map((d) => ({
      severity: "error",
      rule: d.rule,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
      location: { file: relative(cwd, d.location.file), line: d.location.line, column: d.location.column },
    })),
  };
}

export function validToJson(file: string, cwd: string, summary: { services: number; rooms: number; owner: string; platform: string | null }): Record<string, unknown> {
  return { formatVersion: JSON_FORMAT_VERSION, command: "validate", valid: true, errorCount: 0, diagnostics: [], file: relative(cwd, file), ...summary };
}

/** Any other failure of a command run with `--output json` (network, credentials, a stale plan…). */
export function errorToJson(command: string, error: { code?: string; message: string; hint?: string | undefined }): Record<string, unknown> {
  return { formatVersion: JSON_FORMAT_VERSION, command, error: { code: error.code ?? "E_UNEXPECTED", message: error.message, ...(error.hint ? { hint: error.hint } : {}) } };
}

export type ApplyJsonOutcome = "applied" | "failed" | "interrupted" | "no-changes" | "refused";

/** `apply --output json`: the plan, then per service what was done (with the live id) or why not. */
export function applyToJson(plan: Plan, result: ApplyResult | null, outcome: ApplyJsonOutcome): Record<string, unknown> {
  return {
    formatVersion: JSON_FORMAT_VERSION,
    command: "apply",
    outcome,
    summary: result ? { ...result.summary } : { created: 0, updated: 0, deleted: 0, unchanged: plan.summary.noop, failed: 0, skipped: 0 },
    services: (result?.results ?? []).map((r) => ({
      name: r.service.name,
      room: r.service.room,
      action: r.service.type,
      outcome: r.outcome,
      id: r.id,
      ...(r.written ? { written: r.written } : {}),
      error: r.error === null ? null : { message: r.error.message, ...((r.error as { code?: string }).code ? { code: (r.error as { code?: string }).code } : {}), ...((r.error as { hint?: string }).hint ? { hint: (r.error as { hint?: string }).hint } : {}) },
    })),
    plan: planToJson(plan),
  };
}
