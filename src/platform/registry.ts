// Push credentials for the project registry, as `meshagent build` gets them (cli@0.39.9 image.py
// `_resolve_project_registry_build_credentials`, `_ensure_project_repository`): find the
// repository by name or create it (on 409, look again), then a one-hour pull+push token. From
// 0.48 the look-up is one `GET …/repositories/by-name/{name}` (api@9a5d89e
// `get_repository_by_name`); before, every page of the listing.
// The token is a credential: it is handed to `onSecret` (the redactor) before anything else.
import { ApiError, MeshdeployError } from "../errors.js";
import type { HttpClient } from "./http-client.js";
import { walkPages } from "./pages.js";
import type { DockerSecret } from "./official-client.js";
import { stringField } from "./payloads.js";

/** `api@0.39.9 registry_auth.py` DEFAULT_REGISTRY_USERNAME. */
export const REGISTRY_USERNAME = "meshagent";
const TOKEN_TTL_SECONDS = 3600;

/**
 * The repository named `name`, reading every page: reading only the first (as the 0.50.1 CLI's
 * `_ensure_project_repository` does) misses a repository past it, so the POST that follows
 * answers 409 forever.
 */
async function findRepository(http: HttpClient, project: string, name: string): Promise<string | null> {
  const found = await walkPages(http, `${project}/repositories`, (json, path) => {
    const repositories = (json as { repositories?: unknown } | null)?.repositories;
    if (!Array.isArray(repositories)) throw new ApiError("E_API_PAYLOAD", { method: "GET", path, status: null, serverMessage: null, message: `GET ${path}: unexpected answer: expected {"repositories": [...]}` });
    const match = (repositories as { id?: unknown; name?: unknown }[]).find((r) => r.name === name);
    return match === undefined ? undefined : typeof match.id === "string" ? match.id : null;
  });
  return found ?? null;
}

/** 0.48+: one request; 404 is "no such repository" (the endpoint exists on every server that has it). */
async function findRepositoryByName(http: HttpClient, project: string, name: string): Promise<string | null> {
  const path = `${project}/repositories/by-name/${encodeURIComponent(name)}`;
  try {
    return stringField((await http.send("GET", path)).json, "id", `GET ${path}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

async function ensureRepository(http: HttpClient, project: string, name: string, byName: boolean): Promise<string> {
  const find = (): Promise<string | null> => (byName ? findRepositoryByName(http, project, name) : findRepository(http, project, name));
  const existing = await find();
  if (existing !== null) return existing;
  const path = `${project}/repositories`;
  try {
    return stringField((await http.send("POST", path, { name, description: "", annotations: {} })).json, "id", `POST ${path}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      const raced = await find();
      if (raced !== null) return raced;
    }
    if (error instanceof ApiError && error.status === 403) {
      throw new MeshdeployError("E_BUILD", `the registry repository ${name} does not exist and this token may not create it`, {
        hint: `create it first: meshagent registry repository create --name ${name}`,
        cause: error,
      });
    }
    throw error;
  }
}

export async function registryCredentials(
  http: HttpClient,
  project: string,
  repositoryName: string,
  registry: string,
  onSecret: (secret: string) => void,
  options: { byName?: boolean } = {},
): Promise<DockerSecret> {
  const id = await ensureRepository(http, project, repositoryName, options.byName ?? false);
  const path = `${project}/repositories/${id}/token`;
  const token = stringField((await http.send("POST", path, { actions: ["pull", "push"], expires_in_seconds: TOKEN_TTL_SECONDS })).json, "token", `POST ${path}`);
  onSecret(token);
  return { registry, username: REGISTRY_USERNAME, password: token };
}
