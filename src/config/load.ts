// .meshdeploy.yaml → DesiredState, in phases: YAML (with positions) → interpolation (`${VAR}`) →
// schema → build (defaults, mount strings) → semantic rules. Every problem of a phase is reported,
// sorted by position; a later phase runs only when the earlier ones found nothing, and there is
// never a partial result. `parseConfig` is pure (variables are passed in); `loadConfig` adds
// reading (and decoding) the file and the git built-ins (read only when the text refers to one).
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.js";
import { MAX_CONFIG_BYTES } from "./config-file.js";
import { FileRefusedError, readRegularFile, type RefusalReason } from "../regular-file.js";
import { gitBuiltins, mentionsGitBuiltin, readGitHead } from "../git/builtins.js";
import { buildDesired, directoryDefault } from "./build-desired.js";
import { applyEnvironment, combineEnvironmentProblems, environmentNames, selectEnvironment } from "./environments.js";
import { readDefaultOwner } from "../git/owner-default.js";
import { defaultOwnerForEnvironment, type DefaultOwner } from "../model/owner.js";
import type { Diagnostic } from "../diagnostic.js";
import { CONTEXT_HASH_BUILTIN, type BuiltinValue } from "../model/builtin-value.js";
import type { DesiredState } from "../model/desired.js";
import { interpolateSource } from "./interpolate-source.js";
import type { RawConfig } from "./raw-config.js";
import { runRules } from "./rules.js";
import { validateConfigSchema } from "./schema.js";
import { parseYamlSource } from "./yaml-source.js";

export type ParseConfigResult = { ok: true; desired: DesiredState } | { ok: false; diagnostics: Diagnostic[] };

/** What `${NAME}` may refer to. Without any, every reference is an undefined variable. */
export interface ConfigVariables {
  /** The environment (the CLI passes its Io.env; never read from process.env here). */
  env?: Readonly<Record<string, string | undefined>>;
  /** GIT_SHA, GIT_SHORT_SHA, GIT_BRANCH, GIT_BRANCH_SLUG; loadConfig reads them from git (GIT_* in env winning) when not given. */
  builtins?: Readonly<Record<string, BuiltinValue>>;
  /** The owner when the config has no `owner:`; loadConfig reads it from git when not given (default here: the directory name). */
  defaultOwner?: DefaultOwner;
  /** `-e/--environment` (or MESHDEPLOY_ENVIRONMENT): required when the config declares `environments:`. */
  environment?: string | undefined;
}

/**
 * `file` is used as given in diagnostics and resolved (against the current directory when
 * relative) for `DesiredState.file` and the default owner.
 */
export function parseConfig(text: string, file: string, variables: ConfigVariables = {}): ParseConfigResult {
  const parsed = parseYamlSource(text, file);
  if (!parsed.ok) return failed(parsed.diagnostics);
  const selected = selectEnvironment(parsed.source, variables.environment === "" ? undefined : variables.environment);
  if (!selected.ok) return failed(selected.diagnostics);
  const { environment } = selected;
  const interpolated = interpolateSource(selected.source, { env: variables.env ?? {}, builtins: variables.builtins ?? {} });
  if (!interpolated.ok) return failed(interpolated.diagnostics);
  const schemaProblems = validateConfigSchema(interpolated.source);
  if (schemaProblems.length > 0) return failed(schemaProblems);
  let source = interpolated.source;
  if (environment !== null || hasServiceLimits(source.value)) {
    const merged = applyEnvironment(source, environment, environmentNames(parsed.source.value));
    if (!merged.ok) return failed(merged.diagnostics);
    source = merged.source;
    // Values the overlay wrote are checked here, once merged (located at the overlay's lines).
    const mergedProblems = validateConfigSchema(source);
    if (mergedProblems.length > 0) return failed(mergedProblems);
  }

  const config = source.value as unknown as RawConfig;
  const absolute = resolve(file);
  const defaultOwner = variables.defaultOwner ?? directoryDefault(absolute);
  const built = buildDesired(config, source, absolute, environment === null ? defaultOwner : defaultOwnerForEnvironment(defaultOwner, environment));
  const desired = environment === null ? built.desired : { ...built.desired, environment };
  const problems = [
    ...built.diagnostics,
    ...runRules({ config, services: desired.services, owner: desired.owner, ownerSource: desired.ownerSource, locate: source.locate }),
  ];
  return problems.length > 0 ? failed(problems) : { ok: true, desired };
}

function hasServiceLimits(value: Readonly<Record<string, unknown>>): boolean {
  const services = value["services"];
  return Array.isArray(services) && services.some((s) => s !== null && typeof s === "object" && "environments" in s);
}

/** Reads and parses `file`; throws ConfigError carrying every diagnostic. */
export async function loadConfig(file: string, variables: ConfigVariables = {}): Promise<DesiredState> {
  const { text, full } = await readInputs(file, variables);
  const result = parseConfig(text, file, full);
  if (!result.ok) throw new ConfigError(result.diagnostics);
  return result.desired;
}

/**
 * `validate` without -e: every environment the config declares (in file order), each checked as
 * `-e NAME` would; one state when it declares none. Throws one ConfigError with the problems of
 * all of them (config/environments.ts combineEnvironmentProblems).
 */
export async function loadEveryEnvironment(file: string, variables: ConfigVariables = {}): Promise<DesiredState[]> {
  const { text, full } = await readInputs(file, variables);
  const parsed = parseYamlSource(text, file);
  const names = parsed.ok ? environmentNames(parsed.source.value) : [];
  if (names.length === 0) return [await loadConfig(file, full)];
  const results = names.map((name) => ({ name, result: parseConfig(text, file, { ...full, environment: name }) }));
  const failures = results.flatMap(({ name, result }) => (result.ok ? [] : [{ name, diagnostics: result.diagnostics }]));
  if (failures.length > 0) throw new ConfigError(sortByPosition(combineEnvironmentProblems(failures, names.length)));
  return results.map(({ result }) => (result as { ok: true; desired: DesiredState }).desired);
}

async function readInputs(file: string, variables: ConfigVariables): Promise<{ text: string; full: ConfigVariables }> {
  const text = decode(await readConfigFile(file), file);
  const builtins = variables.builtins ?? (mentionsGitBuiltin(text) ? gitBuiltins(await readGitHead(dirname(resolve(file))), variables.env ?? {}) : {});
  // Git is asked for the default owner only when the config does not write one.
  const defaultOwner = variables.defaultOwner ?? (writesOwner(text) ? undefined : await readDefaultOwner(file));
  return { text, full: { ...variables, builtins: { ...CONTEXT_HASH_BUILTIN, ...builtins }, ...(defaultOwner === undefined ? {} : { defaultOwner }) } };
}

/** A cheap look before running git: a top-level `owner:` key (a false positive only costs the default). */
function writesOwner(text: string): boolean {
  return /^owner\s*:/m.test(text);
}


const REFUSAL_HINTS: Record<RefusalReason, string | undefined> = {
  "not-found": "run meshdeploy where .meshdeploy.yaml is, or name the file with -f FILE",
  directory: "run meshdeploy where .meshdeploy.yaml is, or name the file with -f FILE",
  special: "meshdeploy reads a config from a file (a pipe or device could block or never end); write it to a file first",
  "too-large": "is -f pointing at the right file?",
  unreadable: undefined,
};

/** The config's bytes, read with readRegularFile's checks (no FIFO, device or file past the cap); a refusal is a ConfigError. */
export async function readConfigFile(file: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(file, { what: "config file", maxBytes: MAX_CONFIG_BYTES });
  } catch (error) {
    if (!(error instanceof FileRefusedError)) throw error;
    const hint = REFUSAL_HINTS[error.reason];
    throw new ConfigError([{ message: error.message, location: { file, line: 1, column: 1 }, ...(hint === undefined ? {} : { hint }), rule: "file" }]);
  }
}

/** UTF-8 only; invalid bytes are a located error (the file is most likely binary). */
function decode(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const index = Math.max(0, lossy.indexOf("\uFFFD"));
    const before = lossy.slice(0, index);
    const line = before.split("\n").length;
    const column = index - (before.lastIndexOf("\n") + 1) + 1;
    throw new ConfigError([
      {
        message: "Expected UTF-8 text, got invalid bytes (a binary file?)",
        location: { file, line, column },
        hint: "check that -f names the meshdeploy configuration file",
        rule: "yaml-binary",
      },
    ]);
  }
}

function failed(diagnostics: readonly Diagnostic[]): { ok: false; diagnostics: Diagnostic[] } {
  return { ok: false, diagnostics: sortByPosition(diagnostics) };
}

/** By line, then column; equal positions keep their phase order. */
export function sortByPosition(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}
