// Each environment variable has one source: `env:` or `secrets:`, and with `token:` neither may
// define the variables the token writes (the 0.39 CLI's --meshagent-token upserts MESHAGENT_TOKEN,
// OPENAI_API_KEY and ANTHROPIC_API_KEY, silently replacing them). Pure.
import type { Diagnostic } from "../../diagnostic.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";
import { TOKEN_ENV_NAMES } from "../../model/wire.js";

export { TOKEN_ENV_NAMES };

export function envSecretClashRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    const envNames = new Set(service.env.map((e) => e.name));
    for (const { name } of service.secrets) {
      if (!envNames.has(name)) continue;
      const envLine = ctx.locate(servicePath(service, "env", name), "key").line;
      out.push(
        diagnostic(
          "env-secret-clash",
          ctx.locate(servicePath(service, "secrets", name), "key"),
          `environment variable \`${name}\` is set in both \`env:\` (line ${envLine}) and \`secrets:\``,
          "a variable has one source: keep it in `env:` for a plain value or in `secrets:` for a room secret",
        ),
      );
    }
  }
  return out;
}

export function tokenEnvRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    if (service.token === null) continue;
    const entries = [
      ...service.env.map((e) => ({ section: "env", name: e.name })),
      ...service.secrets.map((s) => ({ section: "secrets", name: s.name })),
    ];
    for (const { section, name } of entries) {
      if (!(TOKEN_ENV_NAMES as readonly string[]).includes(name)) continue;
      out.push(
        diagnostic(
          "token-env",
          ctx.locate(servicePath(service, section, name), "key"),
          `\`${name}\` in \`${section}:\` conflicts with \`token:\`, which sets it`,
          `with \`token:\`, the service gets ${TOKEN_ENV_NAMES.join(", ")} as participant tokens (like the CLI's --meshagent-token); remove this entry or \`token:\``,
        ),
      );
    }
  }
  return out;
}
