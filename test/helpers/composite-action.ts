// A composite action run the way GitHub's runner runs it: `${{ … }}` expressions substituted in
// each step's env, working-directory and script; each `shell: bash` script written to a file and
// run with `bash --noprofile --norc -eo pipefail FILE`; outputs read back from $GITHUB_OUTPUT;
// the action's own files at $GITHUB_ACTION_PATH. `uses:` steps are not executed (setup-node: the
// Node running this test is used); they are returned so a test can check them.
import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  "working-directory"?: string;
}

export interface ActionRun {
  /** Whether every step succeeded (the job's view). */
  ok: boolean;
  outputs: Record<string, string>;
  log: string;
  skippedUses: string[];
}

export async function runCompositeAction(actionPath: string, workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}, timeoutMs = 240_000): Promise<ActionRun> {
  const action = parse(await readFile(path.join(actionPath, "action.yml"), "utf8"));
  if (action.runs?.using !== "composite") throw new Error("not a composite action");
  const values: Record<string, string> = {};
  for (const [name, spec] of Object.entries<{ default?: string }>(action.inputs ?? {})) values[name] = inputs[name] ?? spec.default ?? "";
  for (const name of Object.keys(inputs)) if (!(name in values)) throw new Error(`unexpected input '${name}'`);
  const steps: Record<string, Record<string, string>> = {};
  const expr = (text: string): string =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
      let m = /^inputs\.([\w-]+)$/.exec(e);
      if (m) return values[m[1]!] ?? "";
      m = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(e);
      if (m) return steps[m[1]!]?.[m[2]!] ?? "";
      if (e === "github.action_path") return actionPath;
      throw new Error(`unsupported expression ${e}`);
    });
  let log = "";
  const skippedUses: string[] = [];
  for (const [index, step] of (action.runs.steps as Step[]).entries()) {
    if (step.uses !== undefined) {
      skippedUses.push(step.uses);
      continue;
    }
    if (step.shell !== "bash") throw new Error(`step ${index}: only shell: bash is run here`);
    const script = path.join(path.dirname(workspace), `step-${index}.sh`);
    const output = path.join(path.dirname(workspace), `step-${index}.out`);
    await writeFile(script, expr(step.run ?? ""));
    await writeFile(output, "");
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = expr(String(v));
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: path.resolve(workspace, expr(step["working-directory"] ?? ".")),
      encoding: "utf8",
      timeout: timeoutMs,
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_ACTION_PATH: actionPath, GITHUB_OUTPUT: output, ...env, ...stepEnv },
    });
    log += `## ${expr(step.name ?? step.id ?? String(index))}\n${result.stdout}${result.stderr}`;
    const outs: Record<string, string> = {};
    for (const line of (await readFile(output, "utf8")).split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) outs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    if (step.id) steps[step.id] = outs;
    if (result.status !== 0) return { ok: false, outputs: actionOutputs(), log, skippedUses };
  }
  return { ok: true, outputs: actionOutputs(), log, skippedUses };

  function actionOutputs(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, spec] of Object.entries<{ value: string }>(action.outputs ?? {})) result[name] = expr(spec.value);
    return result;
  }
}
