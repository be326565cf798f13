// Before any change: every secret a service about to be written refers to must exist. One error
// lists every missing secret, and nothing is changed.
// - 0.39 (room secrets): in its room for its identity, via the room's `secrets.exists`
//   (cli@0.39.9 `_validate_deploy_environment_secrets`).
// - 0.45+ (service-account secrets): the account `runAs.email` names must exist and hold each
//   secret id (service-accounts REST, api@6d950a5 `list_service_accounts`,
//   `get_service_account_secret`). Where the API refuses the look-up (403) the secret cannot be
//   checked: a warning, not a failure (the 0.50.1 CLI checks nothing beyond run_as being set).
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
  /** 0.39: the identity it must belong to; 0.45+: the service account's email. */
  owner: string;
  /** 0.45+: the account itself does not exist. */
  noAccount?: boolean;
}

export interface SecretCheck {
  missing: MissingSecret[];
  /** Secrets the API would not let us look up (403), one line each. */
  unchecked: string[];
}

export async function checkSecrets(target: Target, plan: Plan, services: readonly ResolvedService[], accountSecrets: boolean): Promise<SecretCheck> {
  const written = new Set(plan.services.filter((s) => s.body !== null).map((s) => `${s.room}\u0000${s.name}`));
  const checks = services
    .filter((s) => s.secrets.length > 0 && written.has(`${s.room}\u0000${s.name}`))
    .flatMap((s) => s.secrets.map((secret) => ({ room: s.room, service: s.name, env: secret.name, secretId: secret.secretId, owner: accountSecrets ? (s.runAs?.email ?? "") : identityOf(s) })));
  const missing: MissingSecret[] = [];
  const unchecked: string[] = [];
  await Promise.all(
    checks.map(async (check) => {
      if (!accountSecrets) {
        const room = await target.room(check.room);
        if (!(await room.secretExists(check.secretId, check.owner))) missing.push(check);
        return;
      }
      const found = await target.serviceAccountSecret(check.owner, check.secretId);
      if (found === "missing") missing.push(check);
      if (found === "no-account") missing.push({ ...check, noAccount: true });
      if (found === "forbidden") unchecked.push(`${check.service} (room ${check.room}): ${check.env} → secret ${check.secretId} of ${check.owner} could not be checked (the API refused the look-up)`);
    }),
  );
  return { missing: ordered(missing, checks), unchecked: unchecked.sort() };
}

/** In config order, so the error reads like the file. */
function ordered(missing: MissingSecret[], checks: readonly { service: string; env: string }[]): MissingSecret[] {
  const at = (m: MissingSecret): number => checks.findIndex((c) => c.service === m.service && c.env === m.env);
  return [...missing].sort((a, b) => at(a) - at(b));
}

export async function requireSecrets(target: Target, plan: Plan, services: readonly ResolvedService[], onWarning: (line: string) => void = () => {}): Promise<void> {
  const accountSecrets = hasFeature(await target.platform(), "serviceAccountSecrets");
  const { missing, unchecked } = await checkSecrets(target, plan, services, accountSecrets);
  for (const line of unchecked) onWarning(line);
  if (missing.length === 0) return;
  const lines = missing.map((m) =>
    accountSecrets
      ? `  ${m.service} (room ${m.room}): ${m.env} → secret ${m.secretId} of service account ${m.owner}${m.noAccount ? " (no such service account)" : ""}`
      : `  ${m.service} (room ${m.room}): ${m.env} → secret ${m.secretId} for identity ${m.owner}`,
  );
  throw new MeshdeployError("E_SECRETS", [`${missing.length} referenced secret${missing.length === 1 ? " does" : "s do"} not exist; nothing was changed:`, ...lines].join("\n"), {
    hint: accountSecrets
      ? "create each secret for that service account first (meshagent secret create …, or the service-accounts API), or fix the ids and runAs, then apply again"
      : "save each secret in its room for that identity first (meshagent room secret set …), then apply again",
  });
}
