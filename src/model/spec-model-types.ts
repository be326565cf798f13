// The vocabulary in which ./spec-models-0.39.9.ts and ./spec-models-0.50.1.ts restate MeshAgent's
// pydantic ServiceSpec models as data, for the interpreter in ./spec-model.ts: field types, presence,
// validators, and the constructors the tables are written with. Checks shared by both generations
// live here too. Pure: no I/O.

import type { Json, JsonObject } from "./service-spec.js";
import type { Generation } from "./platform.js";
import { pyStrip } from "./python-str.js";

export type FieldType =
  | { t: "str" }
  | { t: "bool" }
  | { t: "int"; gt?: number } // gt: 0 = PositiveInt
  | { t: "literal"; choices: readonly string[] }
  | { t: "optional"; of: FieldType } // Optional[X]: also accepts null
  | { t: "list"; of: FieldType }
  | { t: "dict"; of: FieldType } // dict[str, X]
  | { t: "any" }
  | { t: "model"; name: string }
  | { t: "union"; of: readonly FieldType[] } // X | Y (pydantic "smart" union)
  | { t: "tagged"; tag: string; choices: Readonly<Record<string, string>> }; // Field(discriminator=…)

/** How a field behaves when its key is absent from the input. */
export type Presence =
  | { required: true }
  | { default: Json } // Field(default), or a default_factory returning a constant — never validated, dumped as is
  | { factory: "list" } // default_factory=list
  | { factory: { model: string } }; // default_factory=SomeModel

/** What a @field_validator(mode="after") returns: the (possibly normalised) value, or its ValueError text. */
export type AfterResult = { ok: true; value: Json } | { ok: false; message: string };

export interface FieldSpec {
  name: string;
  type: FieldType;
  presence: Presence;
  /** validation_alias=AliasChoices(…): the input keys tried, first present wins. Default: [name]. */
  aliases?: readonly string[];
  /** @field_validator(mode="after"): runs on the validated value (never on a default). */
  after?: (value: Json) => AfterResult;
}

export interface ModelSpec {
  /** model_config extra: "forbid" for ConfigDict(extra="forbid"), else pydantic's default "ignore". */
  extra: "forbid" | "ignore";
  fields: readonly FieldSpec[];
  /** @model_validator(mode="after"): sees the dumped object (None fields may be null or absent). */
  check?: (value: JsonObject) => string | undefined;
}

/** A generation whose models meshdeploy holds (model/platform.ts names them). */
export type SpecGeneration = Generation;

/** ApiScope's preset constructors: user_default(), agent_default() (tunnels=False), full(). */
export type ApiScopePreset = "userDefault" | "agentDefault" | "full";

/** One MeshAgent generation's ServiceSpec models, as plain data. */
export interface SpecModels {
  generation: SpecGeneration;
  /** The meshagent-api commit the models were restated from. */
  source: string;
  models: Readonly<Record<string, ModelSpec>>;
  /** Which grants each ApiScope preset sets, every one built with its defaults (e.g. `QueuesGrant()`). */
  apiScopePresets: Readonly<Record<ApiScopePreset, readonly string[]>>;
  /**
   * Per model, keys that exist only in the *other* generation. Validation reports them like any
   * extra input (pydantic rejects them); a dump drops them instead of keeping them as unknown keys.
   */
  foreignKeys: Readonly<Record<string, readonly string[]>>;
  /** The env vars the CLI's --meshagent-token writes a TokenValue into (meshagent-cli, not the api). */
  tokenEnvNames: readonly string[];
}

// ---- constructors the tables are written with ------------------------------------------------------
export const str: FieldType = { t: "str" };
export const bool: FieldType = { t: "bool" };
export const positiveInt: FieldType = { t: "int", gt: 0 };
export const anyJson: FieldType = { t: "any" };
export const lit = (...choices: string[]): FieldType => ({ t: "literal", choices });
export const opt = (of: FieldType): FieldType => ({ t: "optional", of });
export const list = (of: FieldType): FieldType => ({ t: "list", of });
export const dict = (of: FieldType): FieldType => ({ t: "dict", of });
export const model = (name: string): FieldType => ({ t: "model", name });
export const union = (...of: FieldType[]): FieldType => ({ t: "union", of });
export const tagged = (tag: string, choices: Record<string, string>): FieldType => ({ t: "tagged", tag, choices });

/** `name: T` (no default) */
export const req = (name: string, type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name, type, presence: { required: true }, ...extra,
});
/** `name: T = value` */
export const dflt = (name: string, type: FieldType, value: Json, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name, type, presence: { default: value }, ...extra,
});
/** `name: Optional[T] = None` */
export const optional = (name: string, type: FieldType, extra: Partial<FieldSpec> = {}): FieldSpec => dflt(name, opt(type), null, extra);
/** `name: T = Field(default_factory=…)` */
export const factory = (name: string, type: FieldType, make: "list" | { model: string }): FieldSpec => ({
  name, type, presence: { factory: make },
});
export const forbid = (fields: FieldSpec[], check?: ModelSpec["check"]): ModelSpec => ({ extra: "forbid", fields, ...(check ? { check } : {}) });
export const ignore = (fields: FieldSpec[]): ModelSpec => ({ extra: "ignore", fields });
export const flags = (value: boolean, ...names: string[]): FieldSpec[] => names.map((n) => dflt(n, bool, value));
export const optionalStrLists = (...names: string[]): FieldSpec[] => names.map((n) => optional(n, list(str)));

// ---- checks shared by both generations --------------------------------------------------------------
/** room_ports.py RESERVED_ROOM_SERVICE_PORTS (ROOM_INTERNAL_API_PORT); unchanged from 0.39.9 to 0.50.1. */
export const RESERVED_ROOM_SERVICE_PORTS: readonly number[] = [8078];

/** Python's str.strip() == "" (str.isspace() whitespace, which differs slightly from JS trim()). */
export const isBlank = (v: Json | undefined): boolean => typeof v === "string" && pyStrip(v) === "";

/** PortSpec._validate_reserved_service_port */
export const reservedPort = (v: Json): AfterResult =>
  typeof v === "number" && RESERVED_ROOM_SERVICE_PORTS.includes(v)
    ? {
        ok: false,
        message: `service port ${v} is reserved for MeshAgent room infrastructure; reserved ports: ${[...RESERVED_ROOM_SERVICE_PORTS].sort((a, b) => a - b).join(", ")}`,
      }
    : { ok: true, value: v };

/** EmailSpec.validate_address */
export const emailAddressNotBlank = (v: JsonObject): string | undefined =>
  isBlank(v["address"]) ? "email.address must not be empty" : undefined;

/** HeartbeatSpec.validate_prompt_source */
export const heartbeatPromptSource = (v: JsonObject): string | undefined => {
  if (isBlank(v["queue"])) return "heartbeat.queue must not be empty";
  const prompt = v["prompt"];
  return Array.isArray(prompt) && prompt.length > 0 ? undefined : "heartbeat requires prompt";
};
