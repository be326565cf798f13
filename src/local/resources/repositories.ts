// Project registry repositories, as far as `meshagent build` uses them (platform-api.md §3.2
// "Registry"; api@0.39.9 client.py list_repositories/create_repository/create_repository_token):
// GET/POST /accounts/projects/{pid}/repositories and POST …/repositories/{id}/token. The local
// room pushes nothing anywhere, so repositories live in memory for the server's lifetime and
// tokens are random strings nobody checks; both are documented in SPEC.md.
// At 0.50.1 the listing pages (`page_size`, `continuation_token`; answers `total` and
// `continuation_token`, api@6d950a5 `list_repositories_page`) with a small default page, so clients
// that read only the first page are caught, and `GET …/repositories/by-name/{name}` exists (0.48).
import { randomBytes } from "node:crypto";
import { param, type LocalRouter, type ResourceContext } from "../context.js";
import { badRequest, conflict, notFound } from "../errors.js";
import { pageByToken } from "./continuation.js";

const BASE = "/accounts/projects/:pid/repositories";
const REPOSITORY_PATH = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const ACTIONS = new Set(["pull", "push"]);

interface Repository {
  id: string;
  project_id: string;
  name: string;
  description: string;
  annotations: Record<string, string>;
  created_at: string;
}

export function registerRepositories(router: LocalRouter, context: ResourceContext): void {
  const repositories = new Map<string, Repository>();

  if (!context.platform.repositoryPaging) {
    router.add("GET", BASE, () => ({ repositories: [...repositories.values()] }));
  } else {
    router.add("GET", BASE, (request) => {
      const all = [...repositories.values()];
      const page = pageByToken(all, request.query, context.repositoryPageSize);
      return { repositories: page.items, total: all.length, continuation_token: page.continuation_token };
    });
    router.add("GET", `${BASE}/by-name/:name`, (request) => {
      const name = param(request, "name");
      const found = [...repositories.values()].find((repository) => repository.name === name);
      if (found === undefined) throw notFound(`repository "${name}" not found in project "${context.project.id}"`);
      return found;
    });
  }

  router.add("POST", BASE, async (request) => {
    const body = await request.json();
    const name = typeof body.name === "string" ? body.name.trim() : "";
    if (!REPOSITORY_PATH.test(name)) throw badRequest(`"name" must be a valid OCI repository path, got ${JSON.stringify(body.name)}`);
    if ([...repositories.values()].some((r) => r.name === name)) throw conflict(`repository "${name}" already exists`);
    const repository: Repository = {
      id: context.newId(),
      project_id: param(request, "pid"),
      name,
      description: typeof body.description === "string" ? body.description : "",
      annotations: (body.annotations ?? {}) as Record<string, string>,
      created_at: new Date().toISOString(),
    };
    repositories.set(repository.id, repository);
    return repository;
  });

  router.add("POST", `${BASE}/:id/token`, async (request) => {
    const id = param(request, "id");
    if (!repositories.has(id)) throw notFound(`repository "${id}" not found`);
    const body = await request.json();
    const actions = body.actions ?? ["pull"];
    if (!Array.isArray(actions) || actions.some((a) => !ACTIONS.has(a as string))) throw badRequest(`"actions" must be a list of "pull" and "push"`);
    const ttl = typeof body.expires_in_seconds === "number" ? body.expires_in_seconds : 3600;
    return { token: randomBytes(24).toString("base64url"), expires_at: new Date(Date.now() + ttl * 1000).toISOString() };
  });
}
