// Room secrets and tokens belong to an agent identity (0.39 CLI `_validate_deploy_environment_secrets`
// and `_validate_deploy_environment_tokens`): `secrets:` needs `token:` for the same identity, and
// an identity with "@" (a user) cannot carry either. Pure; whether the secret exists is checked
// online by the engine.
import type { Diagnostic } from "../../diagnostic.js";
import { quote } from "../describe-value.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

export function secretsNeedTokenRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    // With `runAs:` the secrets are a service account's (MeshAgent 0.45+), which needs no token;
    // whether the target has service accounts is checked at plan time (plan/platform-rules.ts).
    if (service.secrets.length === 0 || service.token !== null || service.runAs !== null) continue;
    const identity = service.identity === null ? "the service name" : `\`${service.identity}\``;
    out.push(
      diagnostic(
        "secrets-token",
        ctx.locate(servicePath(service, "secrets"), "key"),
        `Expected \`token:\` on a service with \`secrets:\`, got none`,
        `a room secret is only readable by an identity that also gets an environment token: the 0.39 CLI refuses --env-secret without --meshagent-token for the same identity (here ${identity}); add e.g. \`token: agentDefault\``,
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
