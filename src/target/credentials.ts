// Where a remote target's URL, token and project come from (DESIGN.md "Remote target"):
// --api-url or MESHAGENT_API_URL (default https://api.meshagent.com); MESHAGENT_API_KEY, else
// MESHAGENT_TOKEN; project from the config, else MESHAGENT_PROJECT_ID, else the API key.
// Pure: the environment is passed in.
import { MeshdeployError } from "../errors.js";
import { projectIdFromApiKey } from "./api-key.js";

export const DEFAULT_API_URL = "https://api.meshagent.com";

export interface RemoteCredentials {
  apiUrl: string;
  token: string;
  projectId: string;
}

export function resolveCredentials(input: {
  apiUrl: string | undefined;
  configProject: string | null;
  env: Readonly<Record<string, string | undefined>>;
}): RemoteCredentials {
  const apiUrl = (input.apiUrl ?? nonEmpty(input.env["MESHAGENT_API_URL"]) ?? DEFAULT_API_URL).replace(/\/+$/, "");
  const apiKey = nonEmpty(input.env["MESHAGENT_API_KEY"]);
  const token = apiKey ?? nonEmpty(input.env["MESHAGENT_TOKEN"]);
  if (token === undefined) {
    throw new MeshdeployError("E_CREDENTIALS", `no MeshAgent credentials for ${apiUrl}`, {
      hint: "set MESHAGENT_API_KEY (or MESHAGENT_TOKEN), or add --local to use the embedded local room",
    });
  }
  const projectId = input.configProject ?? nonEmpty(input.env["MESHAGENT_PROJECT_ID"]) ?? (apiKey ? projectIdFromApiKey(apiKey) : null);
  if (projectId === null) {
    throw new MeshdeployError("E_CREDENTIALS", "no MeshAgent project id", {
      hint: "set `project:` in the config or MESHAGENT_PROJECT_ID (an API key of the form ma-<key>-<project>-<secret> carries it too)",
    });
  }
  return { apiUrl, token, projectId };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
