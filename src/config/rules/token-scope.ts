// A custom `token:` object must be a valid MeshAgent ApiScope (model/spec-model.ts restates the
// pydantic model). Unknown grant groups are refused too: the model would silently drop them, so a
// misspelt `agnets:` would deploy a token without the grant the user asked for. Pure.
import { MODELS } from "../../model/spec-model-table.js";
import { normalizeApiScope } from "../../model/spec-model.js";
import type { Diagnostic } from "../../diagnostic.js";
import { didYouMean } from "../did-you-mean.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";

const GRANT_GROUPS: readonly string[] = (MODELS["ApiScope"]?.fields ?? []).flatMap((field) => field.aliases ?? [field.name]);
const CANONICAL_GROUPS: readonly string[] = (MODELS["ApiScope"]?.fields ?? []).map((field) => field.name);

export function tokenScopeRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    const token = ctx.config.services[service.index]?.token;
    if (token === undefined || typeof token === "string") continue;
    for (const key of Object.keys(token)) {
      if (GRANT_GROUPS.includes(key)) continue;
      const suggestion = didYouMean(key, CANONICAL_GROUPS);
      out.push(
        diagnostic(
          "token-scope",
          ctx.locate(servicePath(service, "token", key), "key"),
          `unknown ApiScope grant \`${key}\`${suggestion === null ? "" : `; did you mean \`${suggestion}\`?`}`,
          `MeshAgent would drop it silently; grants: ${CANONICAL_GROUPS.join(", ")}`,
        ),
      );
    }
    const result = normalizeApiScope(token);
    if (result.ok) continue;
    for (const issue of result.issues) {
      const where = issue.path === "" ? "token" : `token.${issue.path}`;
      out.push(
        diagnostic(
          "token-scope",
          ctx.locate(servicePath(service, "token", ...issuePath(issue.path))),
          `invalid ApiScope at \`${where}\`: ${issue.message}`,
          "a custom `token:` is an ApiScope object, as the CLI's --meshagent-token JSON form, e.g. {agents: {call: true}, services: {list: true}}",
        ),
      );
    }
  }
  return out;
}

/** "storage.paths[0].path" → ["storage", "paths", 0, "path"] */
function issuePath(path: string): (string | number)[] {
  return [...path.matchAll(/\[(\d+)\]|[^.[\]]+/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[0]));
}
