// Who may read a service's secrets, on every generation: a 0.39 room secret only by an identity that
// also gets a token (0.39 CLI `_validate_deploy_environment_secrets` / `_tokens`), a 0.45+ secret only
// by the service account of `runAs` (0.50.1 CLI: `--env-secret` needs `--run-as`). So `secrets:` with
// neither is wrong whatever the server; which of the two the target needs is a plan-time rule
// (plan/platform-rules.ts). An identity with "@" (a user) cannot carry a token or secrets. Pure;
// whether the secret exists is checked online by the engine.
import type { Diagnostic } from "../../diagnostic.js";
import { quote } from "../describe-value.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export function secretsNeedTokenRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    if (service.secrets.length === 0 || service.token !== null || service.runAs !== null) continue;
    const identity = service.identity === null ? "the service name" : `\`${service.identity}\``;
    out.push(
      diagnostic(
        "secrets-token",
        ctx.locate(servicePath(service, "secrets"), "key"),
        `Expected \`runAs:\` (MeshAgent 0.45+) or \`token:\` (0.39) on a service with \`secrets:\`, got neither`,
        `on MeshAgent 0.45+ secrets belong to a service account: add \`runAs: {email: <service account email>}\`; on 0.39 a room secret is readable only by an identity that also gets a token (here ${identity}): add e.g. \`token: agentDefault\``,
      ),
    );
  }
  return out;
}

export function agentIdentityRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    const identity = service.identity;
    if (identity === null || !identity.includes("@")) continue;
    if (service.token === null && service.secrets.length === 0) continue;
    const uses = service.token !== null && service.secrets.length > 0 ? "`token:` and `secrets:`" : service.token !== null ? "`token:`" : "`secrets:`";
    out.push(
      diagnostic(
        "agent-identity",
        ctx.locate(servicePath(service, "identity")),
        `Expected an agent identity (no '@') for \`identity\` with ${uses}, got ${quote(identity)}`,
        "service environment tokens and secrets must use an agent identity (the CLI refuses user identities here too); use an agent name such as web-bot, or drop `identity:` to use the service name",
      ),
    );
  }
  return out;
}
