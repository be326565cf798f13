// Values a validator must question although the schema lets them through: a NUL anywhere (no
// environment, annotation or path can carry one; YAML's "\0" makes it easy to write), an env name
// holding `${` (keys are never interpolated, so the variable would literally be named `${KEY}`),
// an identity with a `..` path segment, and environments past what a process can be started with
// (Linux: each NAME=value below MAX_ARG_STRLEN, 128 KiB; all of them together well below ARG_MAX).
// The limits are documented in docs/semantics.md ("Limits"). Pure.
import type { Diagnostic, SourceLocation } from "../../diagnostic.js";
import { TOKEN_ENV_NAMES } from "../../model/wire.js";
import { diagnostic, servicePath, type RuleContext } from "./context.js";
import type { JsonPath } from "../yaml-source.js";

/** Linux's MAX_ARG_STRLEN (32 pages): one NAME=value string, with its terminating NUL. */
export const MAX_ENV_ENTRY_BYTES = 128 * 1024;
/** The whole environment of one service (NAME=value strings); ARG_MAX is usually 2 MiB, shared with argv. */
export const MAX_ENV_TOTAL_BYTES = 1024 * 1024;
/** Variables per service: env, secrets and the token's variables together. */
export const MAX_ENV_VARIABLES = 1000;

const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** The first NUL in a key or string value anywhere in the document, with its path. */
function findNul(value: unknown, path: (string | number)[]): { path: JsonPath; part: "key" | "value" } | null {
  if (typeof value === "string") return value.includes("\u0000") ? { path, part: "value" } : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNul(value[i], [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("\u0000")) return { path: [...path, key], part: "key" };
      const found = findNul(child, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

export function nulRule(ctx: RuleContext): Diagnostic[] {
  const found = findNul(ctx.config, []);
  if (found === null) return [];
  return [diagnostic("nul", ctx.locate(found.path, found.part), `Expected text without a NUL character (\\u0000), got one in this ${found.part === "key" ? "key" : "value"}`, "no environment variable, annotation or path can hold a NUL (a `\\0` escape in a double-quoted YAML string writes one): remove it")];
}

export function envLimitsRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    const at = (section: string, name: string): SourceLocation => ctx.locate(servicePath(service, section, name), "key");
    for (const [section, names] of [["env", service.env.map((e) => e.name)], ["secrets", service.secrets.map((s) => s.name)]] as const) {
      for (const name of names) {
        if (!name.includes("${")) continue;
        out.push(diagnostic("env-name-variable", at(section, name), `the variable would be named \`${name}\` literally: keys are never interpolated`, "`${VAR}` is replaced in values only; write the name itself as the key, e.g. `API_KEY: ${API_KEY}`"));
      }
    }
    let total = 0;
    for (const { name, value } of service.env) {
      const bytes = utf8Bytes(name) + 1 + utf8Bytes(value) + 1;
      total += bytes;
      if (bytes > MAX_ENV_ENTRY_BYTES) {
        out.push(diagnostic("env-size", ctx.locate(servicePath(service, "env", name)), `${name}=… is ${bytes} bytes; one variable can hold at most ${MAX_ENV_ENTRY_BYTES} (Linux's MAX_ARG_STRLEN), the container would not start`, "keep large data in a file (a mount) or a room secret and pass its path instead"));
      }
    }
    const declared = service.env.length + service.secrets.length + (service.token === null ? 0 : TOKEN_ENV_NAMES.length);
    // Located only when reported (every service has an environment to count).
    const where = (): SourceLocation => ctx.locate(servicePath(service, service.env.length > 0 ? "env" : "secrets"));
    if (declared > MAX_ENV_VARIABLES) {
      out.push(diagnostic("env-count", where(), `this service declares ${declared} environment variables; at most ${MAX_ENV_VARIABLES} are allowed`, "a service this size is a mistake (a generated file?); keep bulk data in a file and mount it"));
    } else if (total > MAX_ENV_TOTAL_BYTES) {
      out.push(diagnostic("env-size", where(), `this service's environment is ${total} bytes; at most ${MAX_ENV_TOTAL_BYTES} fit (with the command line, a process gets about 2 MiB)`, "keep large data in a file (a mount) or a room secret and pass its path instead"));
    }
  }
  return out;
}

export function identityRule(ctx: RuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    if (service.identity === null) continue;
    if (!service.identity.split(/[/\\]/).some((segment) => segment === ".." || segment === ".")) continue;
    out.push(diagnostic("identity-path", ctx.locate(servicePath(service, "identity")), `the identity ${JSON.stringify(service.identity)} holds a \`.\` or \`..\` path segment`, "an identity is a participant name (it also names the identity's secrets): use letters, digits, '-', '_' or '.' inside a name, e.g. web-bot"));
  }
  return out;
}
