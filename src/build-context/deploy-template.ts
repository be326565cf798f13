// `<context>/.meshagent/deploy.yaml`: from 0.41.6 `meshagent deploy PATH` deploys a context that
// has one from that template — the service is named by its `metadata.name` and gets the
// template's container layout (platform-0.50.md §3.2 N2). meshdeploy does not follow templates;
// it reads the name so the plan can say what the CLI would do instead. Reads one file; no writes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";

export const DEPLOY_TEMPLATE = path.join(".meshagent", "deploy.yaml");

export interface DeployTemplate {
  /** Relative to the context, e.g. `.meshagent/deploy.yaml`. */
  file: string;
  /** `metadata.name`, null when absent or unreadable. */
  name: string | null;
}

/** The context's deploy template, or null when it has none. */
export async function readDeployTemplate(contextDir: string): Promise<DeployTemplate | null> {
  let text: string;
  try {
    text = await readFile(path.join(contextDir, DEPLOY_TEMPLATE), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || (error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
    throw error;
  }
  let name: string | null = null;
  try {
    const doc = parse(text) as { metadata?: { name?: unknown } } | null;
    name = typeof doc?.metadata?.name === "string" && doc.metadata.name.trim() !== "" ? doc.metadata.name.trim() : null;
  } catch {
    name = null; // the CLI would refuse it; meshdeploy only reports it
  }
  return { file: DEPLOY_TEMPLATE.split(path.sep).join("/"), name };
}

/** What the plan says about a context with a template (pure). */
export function templateNote(template: DeployTemplate, service: { name: string; declared: boolean }): string {
  const cli = template.name === null
    ? "would deploy it from that template (its metadata.name could not be read)"
    : `would deploy it from that template as service \`${template.name}\`, with the template's container layout`;
  const fix = template.name === null || template.name === service.name
    ? service.declared ? "; meshdeploy manages it by its `name:`" : ""
    : `; to manage the service deployed under the template's name, set \`name: ${template.name}\``;
  return `its build context has ${template.file}: \`meshagent deploy\` (0.41.6+) ${cli}; meshdeploy ignores templates and deploys it as \`${service.name}\` from this config${fix}`;
}
