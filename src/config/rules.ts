// The semantic rules (one small file each under rules/), in the order their findings are most
// useful, and the one entry point that runs them all. Pure: each rule sees the same read-only context.
import type { Diagnostic } from "../diagnostic.js";
import type { Rule, RuleContext } from "./rules/context.js";
import { domainRule } from "./rules/domain.js";
import { duplicateNameRule } from "./rules/duplicate-names.js";
import { envSecretClashRule, tokenEnvRule } from "./rules/env-names.js";
import { mountsRule } from "./rules/mounts.js";
import { ownerRule } from "./rules/owner.js";
import { portsRule } from "./rules/ports.js";
import { roomRule } from "./rules/rooms.js";
import { serviceNameRule } from "./rules/service-name.js";
import { agentIdentityRule, secretsNeedTokenRule } from "./rules/secrets.js";
import { tagRule } from "./rules/tag.js";
import { tokenScopeRule } from "./rules/token-scope.js";
import { envLimitsRule, identityRule, nulRule } from "./rules/values.js";

export type { Rule, RuleContext } from "./rules/context.js";
export { findDuplicateServiceNames, offlineServiceName } from "./rules/duplicate-names.js";
export { isValidRoomName } from "./rules/rooms.js";
export { TOKEN_ENV_NAMES } from "./rules/env-names.js";
export { OWNER_PATTERN } from "./rules/owner.js";

export const RULES: readonly Rule[] = [
  ownerRule,
  roomRule,
  tagRule,
  serviceNameRule,
  duplicateNameRule,
  domainRule,
  secretsNeedTokenRule,
  agentIdentityRule,
  envSecretClashRule,
  tokenEnvRule,
  portsRule,
  mountsRule,
  nulRule,
  envLimitsRule,
  identityRule,
  tokenScopeRule,
];

export function runRules(ctx: RuleContext): Diagnostic[] {
  return RULES.flatMap((rule) => rule(ctx));
}
