// One route step (cli@0.39.9 `_upsert_domain_route`): create; on 409 read the route and refuse
// to move it from another room, else update it. Deletes were planned only for routes meshdeploy owns.
import { MeshdeployError } from "../errors.js";
import { unmanagedRouteProblem } from "../plan/plan-routes.js";
import type { RouteStep } from "../plan/types.js";
import type { Target } from "../platform/target.js";

export async function applyRouteStep(target: Target, step: RouteStep): Promise<void> {
  if (step.type === "delete") return target.deleteRoute(step.domain);
  const route = { domain: step.domain, room_name: step.room, port: step.port, annotations: step.annotations };
  if (step.type === "create" && (await target.createRoute(route)) === "created") return;
  const existing = await target.getRoute(step.domain);
  // Checked again here for a route that changed between plan and apply (plan-routes.ts refuses it first).
  const unmanaged = existing === null ? null : unmanagedRouteProblem(existing);
  if (unmanaged !== null) throw new MeshdeployError("E_CONFLICT", unmanaged.message, { hint: unmanaged.hint });
  if (existing && existing.room_name !== step.room) {
    throw new MeshdeployError("E_CONFLICT", `domain ${step.domain} already routes to room ${existing.room_name}; refusing to change it to room ${step.room}`, {
      hint: "pick another domain, or remove the route from the other room first",
    });
  }
  await target.updateRoute({ ...route, annotations: { ...(existing?.annotations ?? {}), ...step.annotations } });
}
