// meshdeploy's exit codes: 0 success or no changes, 1 error, 2 changes present (plan
// --detailed-exitcode), 130 interrupted. Only cli/ turns results into them.
export const EXIT = { ok: 0, error: 1, changes: 2, interrupted: 130 } as const;
