// Before any change: every secret a service about to be written refers to must exist in its
// room for its identity (cli@0.39.9 `_validate_deploy_environment_secrets`, via the room's
// `secrets.exists`). One error lists every missing secret, and nothing is changed.
import { MeshdeployError } from "../errors.js";
import { hasFeature } from "../model/platform.js";
import { identityOf, type ResolvedService } from "../model/wire.js";
import type { Plan } from "../plan/types.js";
import type { Target } from "../platform/target.js";

export interface MissingSecret {
  room: string;
  service: string;
  env: string;
  secretId: string;
  identity: string;
}

export async function findMissingSecrets(target: Target, plan: Plan, services: readonly ResolvedService[]): Promise<MissingSecret[]> {
  // From 0.45 the secrets are a service account's and the `secrets` room toolkit is gone; the
  // 0.50.1 CLI checks only that run_as is set (the planner requires it). The look-up through the
  // service-accounts REST is not built yet, so nothing is checked there: a missing secret then
  // surfaces when the container starts (and the wait reports it).
  if (hasFeature(await target.platform(), "serviceAccountSecrets")) return [];
  const written = new Set(plan.services.filter((s) => s.body !== null).map((s) => `${s.room}\u0000${s.name}`));
  const checks = services
    .filter((s) => s.secrets.length > 0 && written.has(`${s.room}\u0000${s.name}`))
    .flatMap((s) => s.secrets.map((secret) => ({ room: s.room, service: s.name, env: secret.name, secretId: secret.secretId, identity: identityOf(s) })));
  const answers = await Promise.all(
    checks.map(async (check) => {
      const room = await target.room(check.room);
      return (await room.secretExists(check.secretId, check.identity)) ? null : check;
    }),
  );
  return answers.filter((a): a is MissingSecret => a !== null);
}

export async function requireSecrets(target: Target, plan: Plan, services: readonly ResolvedService[]): Promise<void> {
  const missing = await findMissingSecrets(target, plan, services);
  if (missing.length === 0) return;
  const lines = missing.map((m) => `  ${m.service} (room ${m.room}): ${m.env} → secret ${m.secretId} for identity ${m.identity}`);
  throw new MeshdeployError("E_SECRETS", [`${missing.length} referenced secret${missing.length === 1 ? " does" : "s do"} not exist; nothing was changed:`, ...lines].join("\n"), {
    hint: "save each secret in its room for that identity first (meshagent room secret set …), then apply again",
  });
}
