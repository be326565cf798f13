// Shared helpers for the config tests: fixture paths and a compact view of diagnostics.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../src/diagnostic.js";
import { loadConfig } from "../../src/config/load.js";
import { ConfigError } from "../../src/errors.js";

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../fixtures/config/${name}`, import.meta.url));
}

/**
 * A copy of fixture `name` in the same-named directory under the system temp dir, outside any git
 * work tree: the default owner is then the directory's name (inside a clone it comes from the git
 * remote, and the directory-name rule would never fire).
 */
export function outsideGit(name: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "meshdeploy-nogit-"));
  process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  const copy = path.join(root, name);
  mkdirSync(path.dirname(copy), { recursive: true });
  copyFileSync(fixture(name), copy);
  return copy;
}

/** Fixtures whose verdict depends on being outside git (the directory-name owner). */
const OUTSIDE_GIT = new Set(["_scratch/.meshdeploy.yaml"]);

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
  const file = OUTSIDE_GIT.has(name) ? outsideGit(name) : fixture(name);
  try {
    await loadConfig(file);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    for (const d of error.diagnostics) assert.equal(d.location.file, file);
    return [...error.diagnostics];
  }
  assert.fail(`${name} loaded without errors`);
}
