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
  const fromEnv = nonEmpty(input.env["MESHAGENT_API_URL"]);
  const source = input.apiUrl !== undefined ? "--api-url" : fromEnv !== undefined ? "MESHAGENT_API_URL" : "the default";
  const apiUrl = checkApiUrl((input.apiUrl ?? fromEnv ?? DEFAULT_API_URL).replace(/\/+$/, ""), source);
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

/**
 * An http(s) base URL with nothing secret in it: the URL is printed (plan headers, saved plans,
 * errors), so a user:password, query or fragment is refused without being echoed.
 */
function checkApiUrl(apiUrl: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new MeshdeployError("E_CREDENTIALS", `the API URL from ${source} is not a URL`, { hint: "use the form https://api.meshagent.com" });
  }
  if (!/^https?:$/.test(parsed.protocol)) {
    // Not echoed: `user:password@host` without a scheme parses as a URL whose scheme is the user.
    throw new MeshdeployError("E_CREDENTIALS", `the API URL from ${source} must start with http:// or https://`);
  }
  if (parsed.username !== "" || parsed.password !== "" || parsed.search !== "" || parsed.hash !== "") {
    throw new MeshdeployError("E_CREDENTIALS", `the API URL from ${source} may hold only a scheme, host, port and path (it has a user, password, query or fragment, not shown)`, {
      hint: "pass the key in MESHAGENT_API_KEY (or MESHAGENT_TOKEN); meshdeploy sends it as a bearer token",
    });
  }
  return apiUrl;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
