// A plan with problems → the error plan/apply end with: the located problems as diagnostics (for
// GitHub annotations), and whether the human plan already listed and counted them.
import type { Diagnostic } from "../../diagnostic.js";
import { PlanProblemsError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";

export function planProblemsError(plan: Plan, options: { shown: boolean; applying: boolean }): PlanProblemsError {
  const diagnostics: Diagnostic[] = plan.problems.flatMap((p) =>
    p.location === undefined ? [] : [{ message: `${p.name} in room ${p.room}: ${p.message}`, location: p.location, ...(p.hint === undefined ? {} : { hint: p.hint }), rule: "plan" }],
  );
  return new PlanProblemsError(plan.problems.length, diagnostics, options);
}

/** The plan's located service warnings as diagnostics (for `::warning` annotations). */
export function warningDiagnostics(plan: Plan): Diagnostic[] {
  return plan.services.flatMap((s) =>
    (s.warnings ?? []).flatMap((w) => (w.location === undefined ? [] : [{ message: `${s.name} in room ${s.room}: ${w.message}`, location: w.location, ...(w.hint === undefined ? {} : { hint: w.hint }), rule: "plan" }])),
  );
}
