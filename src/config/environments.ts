// Environments: one config, several deployments of it (helmfile `environments:`, Kamal
// destinations, Kustomize overlays). Two pure steps around interpolation and the schema:
// `selectEnvironment` (before them) checks the choice and keeps only the chosen overlay, so a
// variable of another environment is never needed; `applyEnvironment` (after the schema has
// checked the overlay's shape) merges it over the base. Merge rules (docs/semantics.md): maps
// merge by key, lists and scalars replace, `null` removes. The merged document keeps every
// value's source position: a value the overlay wrote is located at the overlay's line, so every
// later diagnostic (schema, rules, plan problems) points there. Never changes its input.
import type { Diagnostic, SourceLocation } from "../diagnostic.js";
import { ownerForEnvironment } from "../model/owner.js";
import { quote } from "./describe-value.js";
import { didYouMean } from "./did-you-mean.js";
import { offlineServiceName } from "./rules/duplicate-names.js";
import type { JsonPath, PathPart, YamlSource } from "./yaml-source.js";

/** Same as `$defs/environmentName` in schemas/meshdeploy.schema.json. */
export const ENVIRONMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;

export type SelectResult = { ok: true; source: YamlSource; environment: string | null } | { ok: false; diagnostics: Diagnostic[] };
export type MergeResult = { ok: true; source: YamlSource } | { ok: false; diagnostics: Diagnostic[] };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The environment names a document declares, in file order ([] when it has none or `environments:` is not a mapping). */
export function environmentNames(value: Readonly<Json>): string[] {
  const environments = value["environments"];
  return isObject(environments) ? Object.keys(environments) : [];
}

/**
 * Checks the selection against the document: with environments one must be chosen and exist;
 * without, none may be. Returns the document with only the chosen overlay left under
 * `environments:` (the others' overlays are neither interpolated nor checked; their names are).
 */
export function selectEnvironment(source: YamlSource, selected: string | undefined): SelectResult {
  const names = environmentNames(source.value);
  const error = (message: string, location: SourceLocation, hint: string): SelectResult => ({ ok: false, diagnostics: [{ message, location, hint, rule: "environment" }] });
  if (names.length === 0) {
    if (selected === undefined) return { ok: true, source, environment: null };
    const where = "environments" in source.value ? source.locate(["environments"], "key") : source.locate([]);
    return error(
      `environment ${quote(selected)} was selected (-e/--environment or MESHDEPLOY_ENVIRONMENT), but this config declares no environments`,
      where,
      "remove -e (and unset MESHDEPLOY_ENVIRONMENT), or add an `environments:` mapping (docs/semantics.md, \"Environments\")",
    );
  }
  const list = names.join(", ");
  if (selected === undefined) {
    return error(`this config declares environments (${list}): choose one with -e/--environment NAME or MESHDEPLOY_ENVIRONMENT`, source.locate(["environments"], "key"), `e.g. meshdeploy plan -e ${names[0]}; \`meshdeploy validate\` without -e checks every environment`);
  }
  if (!names.includes(selected)) {
    const close = didYouMean(selected, names);
    return error(`unknown environment ${quote(selected)}${close === null ? "" : `; did you mean ${quote(close)}?`}`, source.locate(["environments"], "key"), `this config declares: ${list}`);
  }
  // The others stay as names only (null: an empty overlay), so the schema still checks every name.
  const environments = source.value["environments"] as Json;
  const value = { ...source.value, environments: Object.fromEntries(names.map((name) => [name, name === selected ? environments[name] : null])) };
  return { ok: true, source: { ...source, value }, environment: selected };
}

/** What the merge records: for a merged path, the source path its value was written at. */
type Origins = Map<string, JsonPath>;

/**
 * The schema-valid document (base plus at most the chosen overlay, as selectEnvironment left it)
 * → the document for `environment`: overlay merged, services limited by their `environments:`,
 * no `environments` keys left. With `environment` null only the service limits are checked
 * (a limit needs declared environments) and the keys dropped.
 */
export function applyEnvironment(source: YamlSource, environment: string | null, declared: readonly string[]): MergeResult {
  const diagnostics: Diagnostic[] = [];
  const origins: Origins = new Map([[key([]), []]]);
  const base = source.value;
  const overlay = environment === null ? {} : ((base["environments"] as Json | undefined)?.[environment] as Json | null | undefined) ?? {};
  const overlayPath: JsonPath = ["environments", environment ?? ""];
  const services = Array.isArray(base["services"]) ? (base["services"] as unknown[]) : [];

  const merged: Json = {};
  for (const [name, value] of Object.entries(base)) if (name !== "environments" && name !== "services") merged[name] = value;
  for (const [name, value] of Object.entries(overlay)) {
    if (name === "services") continue;
    if (value === null) delete merged[name];
    else merged[name] = mergeValue(merged[name], value, [name], [...overlayPath, name], origins);
  }
  if (environment !== null && !("owner" in overlay) && typeof base["owner"] === "string") {
    const owner = ownerForEnvironment(base["owner"], environment);
    if (owner === null) {
      diagnostics.push({
        message: `Expected the owner for environment ${quote(environment)} (${quote(`${base["owner"]}.${environment}`)}) to be at most 63 characters`,
        location: source.locate(["owner"]),
        hint: `each environment's owner is \`owner:\` plus \`.${environment}\`; write a shorter \`owner:\`, or \`owner:\` in environments.${environment}`,
        rule: "environment",
      });
    } else merged["owner"] = owner;
  }

  const keys = services.map((service) => serviceKey(service));
  const serviceOverlays = isObject(overlay["services"]) ? overlay["services"] : {};
  for (const [name] of Object.entries(serviceOverlays)) {
    const matches = keys.flatMap((k, i) => (k === name ? [i] : []));
    const at = source.locate([...overlayPath, "services", name], "key");
    if (matches.length === 0) {
      const known = [...new Set(keys.filter((k): k is string => k !== null))];
      const close = didYouMean(name, known);
      diagnostics.push({ message: `environment ${quote(environment ?? "")} names unknown service ${quote(name)}${close === null ? "" : `; did you mean ${quote(close)}?`}`, location: at, hint: `services are named by \`name:\`, else by their tag as \`validate\` shows them (without \`<project-key>-\`): ${known.join(", ") || "none declared"}`, rule: "environment" });
    } else if (matches.length === 1 && environment !== null && !inEnvironment(services[matches[0]!], environment)) {
      const limit = (services[matches[0]!] as Json)["environments"] as string[];
      diagnostics.push({ message: `environment ${quote(environment)} overrides ${quote(name)}, which is only in ${limit.join(", ")}`, location: at, hint: `add ${environment} to the service's \`environments:\`, or remove this entry`, rule: "environment" });
    } else if (matches.length > 1) {
      const lines = matches.map((i) => source.locate(["services", i]).line).join(" and ");
      diagnostics.push({ message: `environment ${quote(environment ?? "")}: ${quote(name)} names more than one service (lines ${lines})`, location: at, hint: "give those services distinct `name:`s and key the overlay by them", rule: "environment" });
    }
  }

  const kept: unknown[] = [];
  services.forEach((service, index) => {
    const limit = isObject(service) && Array.isArray(service["environments"]) ? (service["environments"] as unknown[]) : null;
    limit?.forEach((name, i) => {
      if (typeof name !== "string" || declared.includes(name)) return;
      const close = didYouMean(name, declared);
      const message = declared.length === 0 ? `service limited to environment ${quote(name)}, but this config declares no environments` : `unknown environment ${quote(name)}${close === null ? "" : `; did you mean ${quote(close)}?`}`;
      diagnostics.push({ message, location: source.locate(["services", index, "environments", i]), hint: declared.length === 0 ? "remove `environments:` from the service, or declare the environments at the top level" : `this config declares: ${declared.join(", ")}`, rule: "environment" });
    });
    if (environment !== null && !inEnvironment(service, environment)) return;
    const name = keys[index];
    const patch = name === null || name === undefined ? undefined : serviceOverlays[name];
    if (patch === null) return; // `services: {web: null}`: not in this environment
    const at = kept.length;
    origins.set(key(["services", at]), ["services", index]);
    const { environments: _limit, ...fields } = isObject(service) ? service : ({} as Json);
    kept.push(isObject(patch) ? mergeValue(fields, patch, ["services", at], [...overlayPath, "services", name as string], origins) : isObject(service) ? fields : service);
  });
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  if ("services" in base) merged["services"] = kept;
  return { ok: true, source: mergedSource(source, merged, origins) };
}

/** False when the service's own `environments:` list leaves `environment` out. */
function inEnvironment(service: unknown, environment: string): boolean {
  const limit = isObject(service) ? service["environments"] : undefined;
  return !Array.isArray(limit) || limit.includes(environment);
}

/**
 * How an overlay names a service: its `name:`, else the name `validate` derives from its tag,
 * without the `<project-key>-` that a tag with no namespace gets (`web:1` → `web`).
 */
export function serviceKey(service: unknown): string | null {
  if (!isObject(service)) return null;
  if (typeof service["name"] === "string") return service["name"];
  if (typeof service["tag"] !== "string") return null;
  const derived = offlineServiceName(service["tag"]);
  return derived?.replace(/^<project-key>-/, "") ?? null;
}

/** Maps merge by key, `null` removes a key, anything else (lists, scalars) replaces. */
export function mergeValue(base: unknown, overlay: unknown, at: JsonPath, from: JsonPath, origins: Origins): unknown {
  if (!isObject(base) || !isObject(overlay)) {
    origins.set(key(at), from);
    return overlay;
  }
  const out: Json = { ...base };
  for (const [name, value] of Object.entries(overlay)) {
    if (value === null) delete out[name];
    else out[name] = mergeValue(out[name], value, [...at, name], [...from, name], origins);
  }
  return out;
}

/** Paths arrive with indices as numbers (rules) or strings (ajv's instance paths). */
function key(path: JsonPath): string {
  return JSON.stringify(path.map(String));
}

/** The longest recorded prefix of `path`, with the rest of the path appended to its origin. */
function originOf(origins: Origins, path: JsonPath): JsonPath {
  for (let n = path.length; n >= 0; n--) {
    const origin = origins.get(key(path.slice(0, n)));
    if (origin !== undefined) return [...origin, ...path.slice(n)];
  }
  return path;
}

function mergedSource(source: YamlSource, value: Json, origins: Origins): YamlSource {
  return {
    file: source.file,
    value,
    locate: (path: JsonPath, part?: PathPart) => source.locate(originOf(origins, path), part),
    scalarText: (path) => source.scalarText(originOf(origins, path)),
    scalarToken: (path) => source.scalarToken(originOf(origins, path)),
    locateOffset: (offset) => source.locateOffset(offset),
  };
}

/**
 * The problems of several environments as one list: a problem found in every environment once,
 * as it is; one found in only some once, saying which (`(in environment staging)`).
 */
export function combineEnvironmentProblems(failures: readonly { name: string; diagnostics: readonly Diagnostic[] }[], environmentCount: number): Diagnostic[] {
  const byKey = new Map<string, { diagnostic: Diagnostic; names: string[] }>();
  for (const { name, diagnostics } of failures) {
    for (const diagnostic of diagnostics) {
      const id = `${diagnostic.location.file}:${diagnostic.location.line}:${diagnostic.location.column}:${diagnostic.message}`;
      const seen = byKey.get(id);
      if (seen === undefined) byKey.set(id, { diagnostic, names: [name] });
      else seen.names.push(name);
    }
  }
  return [...byKey.values()].map(({ diagnostic, names }) =>
    names.length === environmentCount ? diagnostic : { ...diagnostic, message: `${diagnostic.message} (in environment${names.length === 1 ? "" : "s"} ${names.join(", ")})` },
  );
}
