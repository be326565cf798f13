// Every secret a service about to be written refers to must exist: plan reports a missing one as a
// problem (so a plan that reviews clean does not fail at apply), and apply refuses before any
// change when one is missing (a saved plan, or a plan made with --no-secret-check). One listing
// per owner, never per secret:
// - 0.39 (room secrets): GET …/rooms/{room}/secrets?for_identity= once per room and identity
//   (api@c27d496 `list_room_secrets`); the 0.39 CLI asks `secrets.exists` per secret instead.
// - 0.45+ (service-account secrets): the account `runAs.email` names, then its secrets, once per
//   account (api@6d950a5 `list_service_accounts`, `list_service_account_secrets`).
// Where the API refuses the look-up (403) the secrets cannot be checked: a warning, not a failure
// (the 0.50.1 CLI checks nothing beyond run_as being set). Never reads or prints a value.
import { ApiError, MeshdeployError } from "../errors.js";
import { hasFeature } from "../model/platform.js";
import { identityOf, type ResolvedService } from "../model/wire.js";
import type { Plan, PlanProblem } from "../plan/types.js";
import type { SecretOwner } from "../platform/secrets-rest.js";
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
  /** The command that creates it. */
  command: string;
}

export interface SecretCheck {
  missing: MissingSecret[];
  /** Secrets the API would not let us look up (403), one line each. */
  unchecked: string[];
  /** Listing requests made (one per room/identity or per service account). */
  requests: number;
}

interface Check {
  room: string;
  service: string;
  env: string;
  secretId: string;
  owner: string;
  key: string;
  secretOwner: SecretOwner;
}

export async function checkSecrets(target: Target, plan: Plan, services: readonly ResolvedService[], accountSecrets: boolean): Promise<SecretCheck> {
  const written = new Set(plan.services.filter((s) => s.body !== null).map((s) => `${s.room}\u0000${s.name}`));
  const checks: Check[] = services
    .filter((s) => s.secrets.length > 0 && written.has(`${s.room}\u0000${s.name}`))
    .flatMap((s) =>
      s.secrets.map((secret) => {
        const owner = accountSecrets ? (s.runAs?.email ?? "").trim().toLowerCase() : identityOf(s);
        const secretOwner: SecretOwner = accountSecrets ? { kind: "account", email: owner } : { kind: "identity", room: s.room, identity: owner };
        return { room: s.room, service: s.name, env: secret.name, secretId: secret.secretId, owner, key: accountSecrets ? owner : `${s.room}\u0000${owner}`, secretOwner };
      }),
    );
  const groups = new Map<string, Check[]>();
  for (const check of checks) groups.set(check.key, [...(groups.get(check.key) ?? []), check]);
  const missing: MissingSecret[] = [];
  const unchecked: string[] = [];
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const owner = group[0]!.secretOwner;
      let ids: Set<string> | null;
      try {
        const listed = await target.listSecrets(owner);
        ids = listed === null ? null : new Set(listed.map((secret) => secret.id));
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 403)) throw error;
        for (const c of group) unchecked.push(`${c.service} (room ${c.room}): ${c.env} → secret ${c.secretId} of ${c.owner} could not be checked (the API refused the look-up)`);
        return;
      }
      for (const c of group) {
        if (ids !== null && ids.has(c.secretId)) continue;
        missing.push({ room: c.room, service: c.service, env: c.env, secretId: c.secretId, owner: c.owner, ...(ids === null ? { noAccount: true } : {}), command: secretSetCommand(c.secretOwner, c.secretId) });
      }
    }),
  );
  return { missing: ordered(missing, checks), unchecked: unchecked.sort(), requests: groups.size };
}

/** The exact `meshdeploy secret set …` that creates a missing secret (the value then comes from stdin). */
export function secretSetCommand(owner: SecretOwner, secretId: string): string {
  return owner.kind === "identity" ? `meshdeploy secret set ${secretId} --room ${owner.room} --identity ${owner.identity}` : `meshdeploy secret set ${secretId} --run-as ${owner.email}`;
}

/** In config order, so the error reads like the file. */
function ordered(missing: MissingSecret[], checks: readonly { service: string; env: string }[]): MissingSecret[] {
  const at = (m: MissingSecret): number => checks.findIndex((c) => c.service === m.service && c.env === m.env);
  return [...missing].sort((a, b) => at(a) - at(b));
}

function describe(m: MissingSecret, accountSecrets: boolean): string {
  return accountSecrets
    ? `${m.env} → secret ${m.secretId} of service account ${m.owner}${m.noAccount ? " (no such service account)" : ""}`
    : `${m.env} → secret ${m.secretId} for identity ${m.owner}`;
}

function hintFor(m: MissingSecret, accountSecrets: boolean): string {
  if (m.noAccount) return `create the service account ${m.owner} first, or fix runAs.email`;
  if (!accountSecrets) return `create it: printf %s "$VALUE" | ${m.command}`;
  return `create it: printf %s "$VALUE" | ${m.command} (it prints the id the server assigns; put that id under secrets: if it differs)`;
}

/** Plan problems, one per missing secret, each naming the command that creates it. */
export function secretProblems(check: SecretCheck, accountSecrets: boolean): PlanProblem[] {
  return check.missing.map((m) => ({ room: m.room, name: m.service, message: `${describe(m, accountSecrets)} does not exist`, hint: hintFor(m, accountSecrets) }));
}

export async function requireSecrets(target: Target, plan: Plan, services: readonly ResolvedService[], onWarning: (line: string) => void = () => {}): Promise<void> {
  const accountSecrets = hasFeature(await target.platform(), "serviceAccountSecrets");
  enforceSecrets(await checkSecrets(target, plan, services, accountSecrets), accountSecrets, onWarning);
}

/** Warns of what could not be checked; throws E_SECRETS (every missing secret, with its command) when one is missing. */
export function enforceSecrets(check: SecretCheck, accountSecrets: boolean, onWarning: (line: string) => void = () => {}): void {
  const { missing, unchecked } = check;
  for (const line of unchecked) onWarning(line);
  if (missing.length === 0) return;
  const lines = missing.flatMap((m) => [`  ${m.service} (room ${m.room}): ${describe(m, accountSecrets)}`, `    ${hintFor(m, accountSecrets)}`]);
  throw new MeshdeployError("E_SECRETS", [`${missing.length} referenced secret${missing.length === 1 ? " does" : "s do"} not exist; nothing was changed:`, ...lines].join("\n"), {
    hint: accountSecrets
      ? "create each secret for its service account (the commands above), or fix the ids and runAs, then apply again"
      : "save each secret in its room for that identity (the commands above), then apply again",
  });
}
