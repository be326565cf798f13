// Reading and writing saved plan files. Writing is atomic (temp file + rename) and refuses a plan
// that would contain a credential meshdeploy knows of (the redactor's), as a last line of defence:
// bodies hold secret ids and token scopes only.
import { open, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { MeshdeployError } from "../../errors.js";
import type { Redactor } from "../../output/redact.js";
import { looksLikeSavedPlan, parseSavedPlan, type SavedPlan, type SavedTarget } from "../../plan/saved/saved-plan.js";
import { resolveCredentials } from "../../platform/credentials.js";
import type { TargetFlags } from "./open-target.js";

export async function writePlanFile(file: string, saved: SavedPlan, redactor: Redactor): Promise<void> {
  const text = `${JSON.stringify(saved, null, 2)}\n`;
  if (redactor.redact(text) !== text) {
    throw new MeshdeployError("E_PLAN_FILE", `refusing to write ${file}: the plan would contain a credential`, {
      hint: "a value interpolated into the config (env, annotations, …) is the API key or token; reference it as a secret instead",
    });
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, file);
  } catch (error) {
    throw new MeshdeployError("E_PLAN_FILE", `cannot write ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function readPlanFile(file: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MeshdeployError("E_PLAN_FILE", code === "ENOENT" ? `plan file not found: ${file}` : `cannot read ${file}: ${(error as Error).message}`);
  }
  return parseSavedPlan(text, file);
}

/** A saved plan rather than a config: a name ending in .json, or a file that starts like one. */
export async function isPlanFile(file: string): Promise<boolean> {
  if (file.toLowerCase().endsWith(".json")) return true;
  const handle = await open(file, "r").catch(() => null);
  if (handle === null) return false;
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return looksLikeSavedPlan(head.subarray(0, bytesRead).toString("utf8"));
  } finally {
    await handle.close();
  }
}

/** The target a plan is bound to: the API URL (or "local") and the project, never the token. */
export function savedTarget(flags: TargetFlags, projectId: string, env: Readonly<Record<string, string | undefined>>): SavedTarget {
  if (flags.local) return { apiUrl: "local", projectId };
  return { apiUrl: resolveCredentials({ apiUrl: flags.apiUrl, configProject: projectId, env }).apiUrl, projectId };
}
