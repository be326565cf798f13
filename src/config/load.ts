// .meshdeploy.yaml → DesiredState, in phases: YAML (with positions) → interpolation (`${VAR}`) →
// schema → build (defaults, mount strings) → semantic rules. Every problem of a phase is reported,
// sorted by position; a later phase runs only when the earlier ones found nothing, and there is
// never a partial result. `parseConfig` is pure (variables are passed in); `loadConfig` adds
// reading (and decoding) the file and the git built-ins (read only when the text refers to one).
import { constants, type Stats } from "node:fs";
import { open, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { ConfigError } from "../errors.js";
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

/** Real configs are a few KB; a cap keeps a mistaken file (a log, an image) from eating memory. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * Type and size are checked before a byte is read: a FIFO would block forever (and hold the
 * process past Ctrl-C), a device such as /dev/zero never ends, a huge file would be read whole.
 * Opened without blocking and checked again on the descriptor (the path may have been swapped),
 * then read to at most the cap (a /proc file reports size 0 and still has content).
 */
export async function readConfigFile(file: string): Promise<Uint8Array> {
  const at = { file, line: 1, column: 1 };
  const hint = "run meshdeploy where .meshdeploy.yaml is, or name the file with -f FILE";
  const refuse = (message: string, withHint = hint): never => {
    throw new ConfigError([{ message, location: at, hint: withHint, rule: "file" }]);
  };
  let handle;
  try {
    refuseSpecial(await stat(file), file, refuse);
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") refuse(`config file not found: ${file}`);
    if (code === "EISDIR") refuse(`Expected a config file, got a directory: ${file}`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError([{ message: `cannot read config file ${file}: ${reason}`, location: at, rule: "file" }]);
  }
  try {
    refuseSpecial(await handle.stat(), file, refuse);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, MAX_CONFIG_BYTES + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_CONFIG_BYTES) refuse(`Expected a config file of at most 4 MB, got more: ${file}`, "is -f pointing at the right file?");
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function refuseSpecial(st: Stats, file: string, refuse: (message: string, hint?: string) => never): void {
  if (st.isDirectory()) refuse(`Expected a config file, got a directory: ${file}`);
  if (!st.isFile()) {
    const kind = st.isFIFO() ? "a FIFO (named pipe)" : st.isCharacterDevice() || st.isBlockDevice() ? "a device" : st.isSocket() ? "a socket" : "not a regular file";
    refuse(`Expected a regular config file, got ${kind}: ${file}`, "meshdeploy reads a config from a file (a pipe or device could block or never end); write it to a file first");
  }
  if (st.size > MAX_CONFIG_BYTES) {
    refuse(`Expected a config file of at most 4 MB, got ${(st.size / 1024 / 1024).toFixed(1)} MB: ${file}`, "is -f pointing at the right file?");
  }
}

/** The text of a config file for a code frame, read with the same checks; null when it cannot be (or should not be). */
export async function readConfigSource(file: string): Promise<string | null> {
  try {
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(await readConfigFile(file));
  } catch {
    return null;
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
