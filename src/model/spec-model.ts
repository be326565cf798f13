// A tiny interpreter for the pydantic model tables of one MeshAgent generation (./spec-model-table.ts:
// 0.39.9 or 0.50.1): validates a value the way `Model.model_validate` (lax mode) would, and dumps it the
// way `.model_dump(mode="json", …)` would (declaration order, defaults filled, unknown keys of
// extra="ignore" models dropped).
// One deliberate difference: on dump, unknown keys of extra="forbid" models are kept (appended after
// the known ones) and values that fail validation are passed through unchanged — we never drop data
// we do not understand. The exception is the keys a table lists as `foreignKeys`: keys of the *other*
// generation (0.39's container.secrets dumped for a 0.50 server, 0.50's enabled for a 0.39 server).
// We do understand them, and the server of this generation rejects them, so a dump drops them;
// validation still reports them, as pydantic does.
// Every function takes the generation's models last. Omitted, they are the 0.39.9 models with the
// server generation unstated: nothing counts as foreign and every unknown key is kept, as before
// generations existed (a caller that does not know the server must not drop a 0.50 `enabled: false`).
// Issue paths are `a.b[0]["x.y"]`; a union member or a discriminator tag, which pydantic adds to its
// loc, is not part of them; messages are pydantic's msg, a ValueError's without "Value error, ".
// Pure: no I/O, never mutates its input.

import type { Json, JsonObject, ServiceSpec } from "./service-spec.js";
import { SPEC_MODELS_0_39_9, specModelsFor } from "./spec-model-table.js";
import type { ApiScopePreset, FieldSpec, FieldType, ModelSpec, SpecGeneration, SpecModels } from "./spec-model-types.js";

export { specModelsFor };
export type { ApiScopePreset, SpecGeneration, SpecModels };

export interface SpecIssue { path: string; message: string }

/** The default models: 0.39.9, server generation unstated (nothing is foreign). */
const UNSTATED: SpecModels = { ...SPEC_MODELS_0_39_9, foreignKeys: {} };

/** [] when `ServiceSpec.model_validate(value)` would succeed. */
export function validateServiceSpec(value: unknown, models: SpecModels = UNSTATED): SpecIssue[] {
  const ctx: Ctx = { issues: [], excludeNone: false, paths: true, models };
  validateModel("ServiceSpec", value, "", ctx);
  return ctx.issues;
}

/** `ServiceSpec.model_validate(value).model_dump(mode="json", exclude_none=…, exclude={"id"} if excludeId)`. */
export function dumpServiceSpec(
  value: ServiceSpec,
  options: { excludeNone: boolean; excludeId?: boolean },
  models: SpecModels = UNSTATED,
): JsonObject {
  if (!isObject(value)) throw new TypeError("dumpServiceSpec: a ServiceSpec must be an object");
  const out = validateModel("ServiceSpec", value, "", { issues: [], excludeNone: options.excludeNone, paths: false, models }).value as JsonObject;
  if (options.excludeId) delete out["id"];
  return out;
}

/** `ApiScope.user_default()` / `agent_default()` / `full()` dumped with exclude_none=True. */
export function apiScopePreset(name: ApiScopePreset, models: SpecModels = UNSTATED): JsonObject {
  const input = Object.fromEntries(models.apiScopePresets[name].map((grant) => [grant, {}]));
  return validateModel("ApiScope", input, "", { issues: [], excludeNone: true, paths: false, models }).value as JsonObject;
}

/** `ApiScope.model_validate(value).model_dump(mode="json", exclude_none=True)`. */
export function normalizeApiScope(
  value: unknown,
  models: SpecModels = UNSTATED,
): { ok: true; value: JsonObject } | { ok: false; issues: SpecIssue[] } {
  const ctx: Ctx = { issues: [], excludeNone: true, paths: true, models };
  const result = validateModel("ApiScope", value, "", ctx);
  return ctx.issues.length === 0 ? { ok: true, value: result.value as JsonObject } : { ok: false, issues: ctx.issues };
}

// ---- interpreter -----------------------------------------------------------------------------------

interface Ctx { issues: SpecIssue[]; excludeNone: boolean; paths: boolean; models: SpecModels }
/** The validated (coerced) value when ok; otherwise a copy of the raw input. */
interface Result { ok: boolean; value: Json }

const TRUE_WORDS = new Set(["1", "on", "t", "true", "y", "yes"]);
const FALSE_WORDS = new Set(["0", "off", "f", "false", "n", "no"]);
const INT_STRING = /^\s*[+-]?\d+(?:_\d+)*(?:\.0+)?\s*$/;

function validate(type: FieldType, input: unknown, path: string, ctx: Ctx): Result {
  switch (type.t) {
    case "any":
      return { ok: true, value: cloneJson(input) };
    case "str":
      return typeof input === "string" ? { ok: true, value: input } : fail(ctx, path, "Input should be a valid string", input);
    case "bool":
      return validateBool(input, path, ctx);
    case "int":
      return validateInt(input, type.gt, path, ctx);
    case "literal":
      return typeof input === "string" && type.choices.includes(input)
        ? { ok: true, value: input }
        : fail(ctx, path, `Input should be ${formatChoices(type.choices)}`, input);
    case "optional":
      return input === null || input === undefined ? { ok: true, value: null } : validate(type.of, input, path, ctx);
    case "list": {
      if (!Array.isArray(input)) return fail(ctx, path, "Input should be a valid list", input);
      const value: Json[] = new Array<Json>(input.length);
      let ok = true;
      for (let i = 0; i < input.length; i++) {
        const r = validate(type.of, input[i], ctx.paths ? `${path}[${i}]` : "", ctx);
        ok &&= r.ok;
        value[i] = r.value;
      }
      return { ok, value };
    }
    case "dict": {
      if (!isObject(input)) return fail(ctx, path, "Input should be a valid dictionary", input);
      const out: JsonObject = {};
      let ok = true;
      for (const [key, item] of Object.entries(input)) {
        if (item === undefined) continue;
        const r = validate(type.of, item, joinKey(ctx, path, key), ctx);
        ok &&= r.ok;
        out[key] = r.value;
      }
      return { ok, value: out };
    }
    case "model":
      return validateModel(type.name, input, path, ctx);
    case "union": {
      // Smart mode, approximated: the first member that validates wins; else every member's errors.
      const failures: SpecIssue[] = [];
      for (const member of type.of) {
        const trial: Ctx = { ...ctx, issues: [] };
        const r = validate(member, input, path, trial);
        if (r.ok && trial.issues.length === 0) return r;
        failures.push(...trial.issues);
      }
      ctx.issues.push(...failures);
      return { ok: false, value: cloneJson(input) };
    }
    case "tagged": {
      if (!isObject(input)) return fail(ctx, path, "Input should be a valid dictionary or object to extract fields from", input);
      const tag = input[type.tag];
      if (tag === undefined) return fail(ctx, path, `Unable to extract tag using discriminator '${type.tag}'`, input);
      const name = typeof tag === "string" && Object.hasOwn(type.choices, tag) ? type.choices[tag] : undefined;
      if (name === undefined) {
        const expected = Object.keys(type.choices).map((c) => `'${c}'`).join(", ");
        return fail(ctx, path, `Input tag '${pyStr(tag)}' found using '${type.tag}' does not match any of the expected tags: ${expected}`, input);
      }
      return validateModel(name, input, path, ctx);
    }
  }
}

/** A model's fields with the input keys each is read from, and every key it knows: derived once per model. */
interface CompiledModel {
  fields: readonly { field: FieldSpec; keys: readonly string[] }[];
  known: ReadonlySet<string>;
}

/** Derived from the immutable model tables on first use (a plan dumps thousands of specs). */
const COMPILED = new WeakMap<ModelSpec, CompiledModel>();

function compiled(spec: ModelSpec): CompiledModel {
  let model = COMPILED.get(spec);
  if (model === undefined) {
    const fields = spec.fields.map((field) => ({ field, keys: field.aliases ?? [field.name] }));
    model = { fields, known: new Set(fields.flatMap((f) => f.keys)) };
    COMPILED.set(spec, model);
  }
  return model;
}

function validateModel(name: string, input: unknown, path: string, ctx: Ctx): Result {
  const spec = modelSpec(name, ctx.models);
  if (!isObject(input)) return fail(ctx, path, `Input should be a valid dictionary or instance of ${name}`, input);
  const { fields, known } = compiled(spec);
  const before = ctx.issues.length;
  const out: JsonObject = {};
  const excludeNone = ctx.excludeNone;
  for (const { field, keys } of fields) {
    let key: string | undefined;
    for (const k of keys) {
      if (Object.hasOwn(input, k) && input[k] !== undefined) {
        key = k;
        break;
      }
    }
    let value: Json;
    if (key !== undefined) value = validateField(field, input[key], joinKey(ctx, path, key), ctx);
    else if ("required" in field.presence) {
      ctx.issues.push({ path: joinKey(ctx, path, field.name), message: "Field required" });
      continue;
    } else value = defaultValue(field, joinKey(ctx, path, field.name), ctx);
    if (!(excludeNone && value === null)) out[field.name] = value;
  }
  if (spec.extra !== "ignore") {
    const foreign = ctx.models.foreignKeys[name] ?? [];
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (known.has(key) || value === undefined) continue;
      ctx.issues.push({ path: joinKey(ctx, path, key), message: "Extra inputs are not permitted" });
      // kept on dump (only a newer server sends keys we do not know), unless it is the other generation's
      if (!foreign.includes(key)) {
        const copy = cloneJson(value);
        if (!(excludeNone && copy === null)) out[key] = copy;
      }
    }
  }
  if (ctx.issues.length === before && spec.check) {
    const message = spec.check(out);
    if (message !== undefined) ctx.issues.push({ path, message });
  }
  return { ok: ctx.issues.length === before, value: out };
}

function validateField(field: FieldSpec, input: unknown, path: string, ctx: Ctx): Json {
  const r = validate(field.type, input, path, ctx);
  if (!r.ok || !field.after) return r.value;
  const after = field.after(r.value);
  if (after.ok) return after.value;
  ctx.issues.push({ path, message: after.message });
  return r.value;
}

function defaultValue(field: FieldSpec, path: string, ctx: Ctx): Json {
  const p = field.presence;
  if ("default" in p) return cloneJson(p.default);
  if ("factory" in p) return p.factory === "list" ? [] : validateModel(p.factory.model, {}, path, ctx).value;
  throw new Error(`spec-model: field ${field.name} has no default`);
}

function validateBool(input: unknown, path: string, ctx: Ctx): Result {
  if (typeof input === "boolean") return { ok: true, value: input };
  if (typeof input === "number" && (input === 0 || input === 1)) return { ok: true, value: input === 1 };
  if (typeof input === "string") {
    const word = input.toLowerCase();
    if (TRUE_WORDS.has(word)) return { ok: true, value: true };
    if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  }
  const parseable = typeof input === "string" || (typeof input === "number" && Number.isInteger(input));
  return fail(ctx, path, parseable ? "Input should be a valid boolean, unable to interpret input" : "Input should be a valid boolean", input);
}

function validateInt(input: unknown, gt: number | undefined, path: string, ctx: Ctx): Result {
  let n: number;
  if (typeof input === "boolean") n = input ? 1 : 0;
  else if (typeof input === "number") {
    if (!Number.isFinite(input)) return fail(ctx, path, "Input should be a finite number", input);
    if (!Number.isInteger(input)) return fail(ctx, path, "Input should be a valid integer, got a number with a fractional part", input);
    n = input;
  } else if (typeof input === "string") {
    if (!INT_STRING.test(input)) return fail(ctx, path, "Input should be a valid integer, unable to parse string as an integer", input);
    n = Number(input.replace(/_/g, "").trim());
  } else return fail(ctx, path, "Input should be a valid integer", input);
  if (gt !== undefined && !(n > gt)) return fail(ctx, path, `Input should be greater than ${gt}`, input);
  return { ok: true, value: n };
}

// ---- helpers ---------------------------------------------------------------------------------------

function modelSpec(name: string, models: SpecModels): ModelSpec {
  const spec = models.models[name];
  if (!spec) throw new Error(`spec-model: unknown model ${name} in the ${models.generation} models`);
  return spec;
}

function fail(ctx: Ctx, path: string, message: string, input: unknown): Result {
  ctx.issues.push({ path, message });
  return { ok: false, value: cloneJson(input) };
}

/** pydantic's literal_error wording: 'a', 'b' or 'c'. */
function formatChoices(choices: readonly string[]): string {
  const quoted = choices.map((c) => `'${c}'`);
  return quoted.length <= 1 ? (quoted[0] ?? "") : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/** Python's str() of a JSON value, as pydantic quotes a bad tag: None, True, [1], {'a': 'b'}. */
function pyStr(v: unknown, nested = false): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "string") return nested ? `'${v}'` : v;
  if (Array.isArray(v)) return `[${v.map((x) => pyStr(x, true)).join(", ")}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `'${k}': ${pyStr(x, true)}`).join(", ")}}`;
  return String(v);
}

/** `a.b` for identifier-like keys, `a["meshagent.service.id"]` otherwise; "" is the root. */
/** Issue paths are built only when issues are wanted: dumping (the hot path) needs none. */
function joinKey(ctx: Ctx, path: string, key: string): string {
  if (!ctx.paths) return "";
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === "" ? key : `${path}.${key}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A fresh JSON copy (undefined object members dropped, undefined array items → null, like JSON.stringify). */
function cloneJson(v: unknown): Json {
  if (v === null || typeof v === "string" || typeof v === "boolean") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map((item) => cloneJson(item));
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, item] of Object.entries(v)) if (item !== undefined && typeof item !== "function") out[k] = cloneJson(item);
    return out;
  }
  return null;
}
