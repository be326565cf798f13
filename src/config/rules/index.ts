// The semantic rules, in the order their findings are most useful, and the one entry point that
// runs them all. Pure: each rule sees the same read-only context.
import type { Diagnostic } from "../diagnostic.js";
import type { Rule, RuleContext } from "./context.js";
import { domainRule } from "./domain.js";
import { duplicateNameRule } from "./duplicate-names.js";
import { envSecretClashRule, tokenEnvRule } from "./env-names.js";
import { ownerRule } from "./owner.js";
import { portsRule } from "./ports.js";
import { roomRule } from "./rooms.js";
import { agentIdentityRule, secretsNeedTokenRule } from "./secrets.js";
import { tagRule } from "./tag.js";
import { tokenScopeRule } from "./token-scope.js";

export type { Rule, RuleContext } from "./context.js";
export { findDuplicateServiceNames, offlineServiceName } from "./duplicate-names.js";
export { isValidRoomName } from "./rooms.js";
export { TOKEN_ENV_NAMES } from "./env-names.js";
export { OWNER_PATTERN } from "./owner.js";

export const RULES: readonly Rule[] = [
  ownerRule,
  roomRule,
  tagRule,
  duplicateNameRule,
  domainRule,
  secretsNeedTokenRule,
  agentIdentityRule,
  envSecretClashRule,
  tokenEnvRule,
  portsRule,
  tokenScopeRule,
];

export function runRules(ctx: RuleContext): Diagnostic[] {
  return RULES.flatMap((rule) => rule(ctx));
}
