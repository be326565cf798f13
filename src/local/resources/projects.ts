// The single emulated project: GET /accounts/projects/{pid} (ProjectInfo), and the guard that
// answers 404 for any other project id on every project path.
import type { LocalRouter, ResourceContext } from "../context.js";
import { notFound } from "../errors.js";

export function registerProjects(router: LocalRouter, context: ResourceContext): void {
  router.add("GET", "/accounts/projects/:pid", () => ({
    id: context.project.id,
    owner_user_id: null,
    name: context.project.name,
    project_key: context.project.key,
    created_at: context.store.createdAt,
  }));
}

/** Router guard: a `:pid` other than the emulated project's id is an unknown project. */
export function projectGuard(context: ResourceContext): (params: Record<string, string>) => void {
  return (params) => {
    const pid = params.pid;
    if (pid !== undefined && pid !== context.project.id) {
      throw notFound(`project "${pid}" not found (this local room serves project "${context.project.id}")`);
    }
  };
}
