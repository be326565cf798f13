// Shared helpers for the config tests: fixture paths and a compact view of diagnostics.
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../src/diagnostic.js";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));
}

export interface Seen {
  at: string;
  rule: string;
  message: string;
}

export function seen(diagnostics: readonly Diagnostic[]): Seen[] {
  return diagnostics.map((d) => ({ at: `${d.location.line}:${d.location.column}`, rule: d.rule, message: d.message }));
}

/** The diagnostics loading `name` fails with (the test fails if it loads). */
export async function problemsOf(name: string): Promise<Diagnostic[]> {
  try {
    await loadConfig(fixture(name));
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    for (const d of error.diagnostics) assert.equal(d.location.file, fixture(name));
    return [...error.diagnostics];
  }
  assert.fail(`${name} loaded without errors`);
}
