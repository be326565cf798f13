// Reading and writing saved plan files. Writing is atomic (temp file + rename) and refuses a plan
// that would contain a credential meshdeploy knows of (the redactor's), as a last line of defence:
// bodies hold secret ids and token scopes only.
import { constants } from "node:fs";
import { open, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { MAX_CONFIG_BYTES } from "../../config/config-file.js";
import { MeshdeployError } from "../../errors.js";
import { FileRefusedError, readRegularFile } from "../../regular-file.js";
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

/**
 * Saved plans run ~30× the size of their config (every action carries its request body), so the
 * cap is the config's (MAX_CONFIG_BYTES) times 32: the plan of any config meshdeploy accepts fits,
 * a mistaken file (an image, a log) does not get read whole.
 */
export const MAX_PLAN_BYTES = 32 * MAX_CONFIG_BYTES;

/** Read with the config file's checks: a FIFO or a device is refused at once, never read (it would block or never end). */
export async function readPlanFile(file: string): Promise<SavedPlan> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(file, { what: "plan file", maxBytes: MAX_PLAN_BYTES });
  } catch (error) {
    if (!(error instanceof FileRefusedError)) throw error;
    const hint = error.reason === "special" ? "apply reads a saved plan from a file (a pipe or device could block or never end); write it to a file first" : undefined;
    throw new MeshdeployError("E_PLAN_FILE", error.message, hint === undefined ? {} : { hint });
  }
  return parseSavedPlan(Buffer.from(bytes).toString("utf8"), file);
}

/** A saved plan rather than a config: a name ending in .json, or a regular file that starts like one (a FIFO is never opened here). */
export async function isPlanFile(file: string): Promise<boolean> {
  if (file.toLowerCase().endsWith(".json")) return true;
  if (!(await stat(file).catch(() => null))?.isFile()) return false;
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY).catch(() => null);
  if (handle === null) return false;
  try {
    if (!(await handle.stat()).isFile()) return false;
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
