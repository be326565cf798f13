// The MeshAgent 0.39.9 pydantic models behind ServiceSpec, restated as data for the interpreter in
// ./spec-model.ts. Source: meshagent/meshagent-api@c27d49609abfd18ddbb4b97a76ad1884e781dbec —
// meshagent/api/specs/service.py, participant_token.py, oauth.py, agent_content.py, room_ports.py.
// Fields are listed in declaration order (inherited fields first, as pydantic orders them), because
// model_dump emits keys in that order. Pure data and pure checks: no I/O.

import type { Json, JsonObject } from "./service-spec.js";

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
  | { default: Json } // Field(default) — never validated, dumped as is
  | { factory: "list" } // default_factory=list
  | { factory: { model: string } }; // default_factory=SomeModel

export interface FieldSpec {
  name: string;
  type: FieldType;
  presence: Presence;
  /** validation_alias=AliasChoices(…): the input keys tried, first present wins. Default: [name]. */
  aliases?: readonly string[];
  /** @field_validator(mode="after"): runs on the validated value; returns pydantic's ValueError text. */
  check?: (value: Json) => string | undefined;
}

export interface ModelSpec {
  /** model_config extra: "forbid" for ConfigDict(extra="forbid"), else pydantic's default "ignore". */
  extra: "forbid" | "ignore";
  fields: readonly FieldSpec[];
  /** @model_validator(mode="after"): sees the dumped object (None fields may be null or absent). */
  check?: (value: JsonObject) => string | undefined;
}

// ---- vocabulary ----------------------------------------------------------------------------------
const str: FieldType = { t: "str" };
const bool: FieldType = { t: "bool" };
const positiveInt: FieldType = { t: "int", gt: 0 };
const anyJson: FieldType = { t: "any" };
const lit = (...choices: string[]): FieldType => ({ t: "literal", choices });
const opt = (of: FieldType): FieldType => ({ t: "optional", of });
const list = (of: FieldType): FieldType => ({ t: "list", of });
const dict = (of: FieldType): FieldType => ({ t: "dict", of });
const model = (name: string): FieldType => ({ t: "model", name });
const union = (...of: FieldType[]): FieldType => ({ t: "union", of });

/** `name: T` (no default) */
const req = (name: string, type: FieldType): FieldSpec => ({ name, type, presence: { required: true } });
/** `name: T = value` */
const dflt = (name: string, type: FieldType, value: Json, extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name, type, presence: { default: value }, ...extra,
});
/** `name: Optional[T] = None` */
const optional = (name: string, type: FieldType): FieldSpec => dflt(name, opt(type), null);
/** `name: T = Field(default_factory=…)` */
const factory = (name: string, type: FieldType, make: "list" | { model: string }): FieldSpec => ({
  name, type, presence: { factory: make },
});
const forbid = (fields: FieldSpec[], check?: ModelSpec["check"]): ModelSpec => ({ extra: "forbid", fields, ...(check ? { check } : {}) });
const ignore = (fields: FieldSpec[]): ModelSpec => ({ extra: "ignore", fields });
const flags = (value: boolean, ...names: string[]): FieldSpec[] => names.map((n) => dflt(n, bool, value));
const optionalStrLists = (...names: string[]): FieldSpec[] => names.map((n) => optional(n, list(str)));

// ---- validators ----------------------------------------------------------------------------------
/** room_ports.py RESERVED_ROOM_SERVICE_PORTS (ROOM_INTERNAL_API_PORT). */
export const RESERVED_ROOM_SERVICE_PORTS: readonly number[] = [8078];

/** Python's str.strip() == "" (str.isspace() whitespace, which differs slightly from JS trim()). */
const PY_SPACE = /^[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
const isBlank = (v: Json | undefined): boolean => typeof v === "string" && PY_SPACE.test(v);

const reservedPort = (v: Json): string | undefined =>
  typeof v === "number" && RESERVED_ROOM_SERVICE_PORTS.includes(v)
    ? `service port ${v} is reserved for MeshAgent room infrastructure; reserved ports: ${[...RESERVED_ROOM_SERVICE_PORTS].sort((a, b) => a - b).join(", ")}`
    : undefined;

// agent_content.py AgentInputContent = Annotated[AgentTextContent | AgentFileContent, Field(discriminator="type")]
const agentInputContent: FieldType = { t: "tagged", tag: "type", choices: { text: "AgentTextContent", file: "AgentFileContent" } };

// ChannelSpec (base of every channel): annotations comes before the subclass's own fields.
const channelAnnotations = optional("annotations", dict(str));

export const MODELS: Readonly<Record<string, ModelSpec>> = {
  // ---- specs/service.py ----
  ServiceSpec: forbid([
    req("version", lit("v1")),
    req("kind", lit("Service")),
    optional("id", str),
    req("metadata", model("ServiceMetadata")),
    optional("agents", list(model("AgentSpec"))),
    factory("ports", opt(list(model("PortSpec"))), "list"),
    optional("files", list(model("ServiceFileSpec"))),
    optional("container", model("ContainerSpec")),
    optional("external", model("ExternalServiceSpec")),
  ]),
  ServiceMetadata: forbid([
    req("name", str), optional("description", str), optional("repo", str), optional("icon", str),
    optional("annotations", dict(str)),
  ]),
  SecretValue: ignore([req("identity", str), req("id", str)]),
  TokenValue: ignore([req("identity", str), optional("api", model("ApiScope")), optional("role", lit("user", "agent", "tool"))]),
  EnvironmentVariable: forbid([
    req("name", str), optional("value", str), optional("token", model("TokenValue")), optional("secret", model("SecretValue")),
  ]),
  RoomStorageMountSpec: forbid([req("path", str), optional("subpath", str), dflt("read_only", bool, false)]),
  ProjectStorageMountSpec: forbid([req("path", str), optional("subpath", str), dflt("read_only", bool, true)]),
  ImageStorageMountSpec: forbid([req("image", str), req("path", str), optional("subpath", str), dflt("read_only", bool, true)]),
  FileStorageMountSpec: forbid([req("path", str), req("text", str), dflt("read_only", bool, true)]),
  EmptyDirMountSpec: forbid([req("path", str), dflt("read_only", bool, false)]),
  ConfigMountSpec: forbid([dflt("path", str, "/var/run/meshagent")]),
  ContainerMountSpec: forbid([
    optional("room", list(model("RoomStorageMountSpec"))),
    optional("project", list(model("ProjectStorageMountSpec"))),
    optional("images", list(model("ImageStorageMountSpec"))),
    optional("files", list(model("FileStorageMountSpec"))),
    optional("empty_dirs", list(model("EmptyDirMountSpec"))),
    optional("configs", list(model("ConfigMountSpec"))),
  ]),
  ServiceFileSpec: forbid([req("path", str), req("text", str)]),
  PromptTemplate: forbid([req("name", str), optional("description", str), req("prompt", str), optional("annotations", dict(str))]),
  EmailChannel: forbid([channelAnnotations, req("address", str), dflt("private", bool, true)]),
  QueueChannel: forbid([
    channelAnnotations, req("queue", str), optional("threading_mode", lit("default-new")), optional("message_schema", dict(anyJson)),
  ]),
  MessagingChannel: forbid([
    channelAnnotations, dflt("protocol", str, "meshagent.agent-message.v1"), optional("prompts", list(model("PromptTemplate"))),
  ]),
  ToolkitChannel: forbid([channelAnnotations, req("name", str)]),
  ChannelsSpec: forbid([
    optional("email", list(model("EmailChannel"))),
    optional("messaging", list(model("MessagingChannel"))),
    optional("queue", list(model("QueueChannel"))),
    optional("toolkit", list(model("ToolkitChannel"))),
  ]),
  EmailSpec: forbid([req("address", str), dflt("public", bool, false)], (v) =>
    isBlank(v["address"]) ? "email.address must not be empty" : undefined),
  HeartbeatSpec: forbid(
    [req("queue", str), optional("thread_id", str), optional("prompt", list(agentInputContent)), req("minutes", positiveInt)],
    (v) => {
      if (isBlank(v["queue"])) return "heartbeat.queue must not be empty";
      const prompt = v["prompt"];
      return Array.isArray(prompt) && prompt.length > 0 ? undefined : "heartbeat requires prompt";
    },
  ),
  AgentSpec: forbid([
    req("name", str), optional("description", str), optional("annotations", dict(str)),
    optional("channels", model("ChannelsSpec")), optional("email", model("EmailSpec")), optional("heartbeat", model("HeartbeatSpec")),
  ]),
  ContainerSpec: forbid([
    req("image", str),
    optional("command", str),
    optional("working_dir", str),
    optional("environment", list(model("EnvironmentVariable"))),
    optional("secrets", list(str)),
    optional("pull_secret", str),
    optional("storage", model("ContainerMountSpec")),
    optional("on_demand", bool),
    optional("writable_root_fs", bool),
    dflt("private", bool, true),
  ]),
  ExternalServiceSpec: forbid([optional("url", str)]),
  MeshagentEndpointSpec: forbid([req("identity", str), optional("api", model("ApiScope"))]),
  // `tool_names: list[str] = None`: the default is None although the type is not Optional.
  AllowedMcpToolFilter: forbid([dflt("tool_names", list(str), null), optional("read_only", bool)]),
  MCPEndpointSpec: forbid([
    req("label", str), optional("description", str), optional("allowed_tools", list(model("AllowedMcpToolFilter"))),
    optional("headers", dict(str)), optional("require_approval", lit("always", "never")),
    optional("oauth", model("OAuthClientConfig")), optional("openai_connector_id", str),
  ]),
  EndpointSpec: forbid([
    req("path", str), optional("meshagent", model("MeshagentEndpointSpec")), optional("mcp", model("MCPEndpointSpec")),
    optional("annotations", dict(str)),
  ]),
  PortSpec: forbid([
    dflt("num", union(lit("*"), positiveInt), "*", { check: reservedPort }),
    dflt("type", opt(lit("http", "tcp")), "http"),
    factory("endpoints", list(model("EndpointSpec")), "list"),
    optional("liveness", str),
    optional("published", bool),
    optional("public", bool),
    optional("annotations", dict(str)),
  ]),

  // ---- oauth.py ----
  OAuthClientConfig: forbid([
    optional("client_id", str), optional("client_secret", str), optional("authorization_endpoint", str),
    optional("token_endpoint", str), optional("no_pkce", bool), optional("scopes", list(str)),
  ]),

  // ---- agent_content.py (no model_config: extra ignored) ----
  AgentTextContent: ignore([req("type", lit("text")), req("text", str)]),
  AgentFileContent: ignore([req("type", lit("file")), req("url", str)]),

  // ---- participant_token.py (no model_config anywhere: extra ignored) ----
  ApiScope: ignore([
    optional("livekit", model("LivekitGrant")),
    optional("queues", model("QueuesGrant")),
    optional("messaging", model("MessagingGrant")),
    { ...optional("dataset", model("DatasetGrant")), aliases: ["dataset", "database", "datasets"] },
    optional("memory", model("MemoryGrant")),
    optional("sync", model("SyncGrant")),
    optional("storage", model("StorageGrant")),
    optional("containers", model("ContainersGrant")),
    optional("developer", model("DeveloperGrant")),
    optional("agents", model("AgentsGrant")),
    optional("llm", model("LLMGrant")),
    optional("admin", model("AdminGrant")),
    optional("secrets", model("SecretsGrant")),
    optional("tunnels", model("TunnelsGrant")),
    optional("services", model("ServicesGrant")),
  ]),
  AgentsGrant: ignore([
    ...flags(true, "register_agent", "register_public_toolkit", "register_private_toolkit", "call", "use_agents", "use_tools"),
    optional("allowed_toolkits", list(str)),
  ]),
  LivekitGrant: ignore(optionalStrLists("breakout_rooms")),
  QueuesGrant: ignore([...optionalStrLists("send", "receive"), dflt("list", bool, true)]),
  MessagingGrant: ignore(flags(true, "broadcast", "list", "send")),
  TableGrant: ignore([
    req("name", str), optional("namespace", list(str)), dflt("write", bool, false), dflt("read", bool, true), dflt("alter", bool, false),
  ]),
  DatasetGrant: ignore([optional("tables", list(model("TableGrant"))), dflt("list_tables", bool, true)]),
  MemoryPermissions: ignore(flags(true, "create", "drop", "inspect", "query", "upsert", "ingest", "recall", "optimize")),
  MemoryEntryGrant: ignore([
    req("name", str), optional("namespace", list(str)),
    factory("permissions", model("MemoryPermissions"), { model: "MemoryPermissions" }),
  ]),
  MemoryGrant: ignore([dflt("list", bool, true), optional("memories", list(model("MemoryEntryGrant")))]),
  SyncPathGrant: ignore([req("path", str), dflt("read_only", bool, false)]),
  SyncGrant: ignore([optional("paths", list(model("SyncPathGrant")))]),
  StoragePathGrant: ignore([req("path", str), dflt("read_only", bool, false)]),
  StorageGrant: ignore([optional("paths", list(model("StoragePathGrant")))]),
  ContainerRegistryGrant: ignore(optionalStrLists("list", "pull", "run", "write")),
  ContainersGrant: ignore([
    dflt("logs", bool, true), ...optionalStrLists("pull", "run"), optional("registry", model("ContainerRegistryGrant")),
    dflt("use_containers", bool, true),
  ]),
  DeveloperGrant: ignore(flags(true, "logs")),
  AdminGrant: ignore(flags(true, "config")),
  OAuthEndpoint: ignore([req("endpoint", str), req("client_id", str)]),
  SecretsGrant: ignore([optional("request_oauth_token", list(model("OAuthEndpoint")))]),
  TunnelsGrant: ignore(optionalStrLists("ports")),
  ServicesGrant: ignore(flags(true, "list")),
  LLMGrant: ignore(optionalStrLists("models")),
};

/**
 * ApiScope.user_default() / agent_default() (tunnels=False) / full(): which grants each preset sets,
 * every one built with its defaults (e.g. `QueuesGrant()`).
 */
export const API_SCOPE_PRESETS = {
  userDefault: ["livekit", "queues", "messaging", "dataset", "memory", "sync", "storage", "containers", "developer", "agents", "secrets", "services"],
  agentDefault: ["livekit", "queues", "messaging", "dataset", "memory", "sync", "storage", "containers", "developer", "agents", "llm", "secrets", "services"],
  full: [
    "livekit", "queues", "messaging", "dataset", "memory", "sync", "storage", "containers", "developer", "agents", "llm", "admin",
    "secrets", "tunnels", "services",
  ],
} as const satisfies Record<string, readonly string[]>;
