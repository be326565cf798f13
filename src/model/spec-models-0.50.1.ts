// The MeshAgent 0.50.1 pydantic models behind ServiceSpec, restated as data (vocabulary in
// ./spec-model-types.ts) for the interpreter in ./spec-model.ts. Source:
// meshagent/meshagent-api@6d950a54203ebd6859018103b9270e4d66a69679 — meshagent/api/specs/service.py,
// participant_token.py, oauth.py, agent_content.py, room_ports.py (oauth.py and room_ports.py are
// unchanged since 0.39.9; the changes are listed in shared/meshagent/platform-0.50.md §2.4).
// Fields are listed in declaration order (inherited fields first, as pydantic orders them), because
// model_dump emits keys in that order. Pure data and pure checks: no I/O.

import {
  anyJson, bool, dflt, dict, emailAddressNotBlank, factory, flags, forbid, heartbeatPromptSource, ignore, lit, list, model, opt,
  optional, optionalStrLists, positiveInt, req, reservedPort, str, tagged, union, type AfterResult, type ModelSpec, type SpecModels,
} from "./spec-model-types.js";
import { pyStrip } from "./python-str.js";
import type { Json, JsonObject } from "./service-spec.js";

// agent_content.py AgentInputContent = Annotated[AgentTextContent | AgentFileContent | AgentAudioContent, Field(discriminator="type")]
const agentInputContent = tagged("type", { text: "AgentTextContent", file: "AgentFileContent", audio: "AgentAudioContent" });

/** ServiceRunAs.validate_email (JS toLowerCase stands in for str.lower(); they agree outside rare Unicode cases). */
const runAsEmail = (v: Json): AfterResult => {
  const normalized = typeof v === "string" ? pyStrip(v).toLowerCase() : v;
  return normalized === "" ? { ok: false, message: "run_as.email must not be empty" } : { ok: true, value: normalized };
};

/** ServiceRunAs.validate_scopes: trimmed, empty ones dropped, first occurrence kept. */
const runAsScopes = (v: Json): AfterResult => {
  if (!Array.isArray(v)) return { ok: true, value: v };
  const scopes = v.map((scope) => (typeof scope === "string" ? pyStrip(scope) : scope)).filter((scope) => scope !== "");
  return { ok: true, value: scopes.filter((scope, i) => scopes.indexOf(scope) === i) };
};

/** ContainerSpec.validate_secret_values_require_run_as */
const runAsForSecrets = (v: JsonObject): string | undefined => {
  const environment = v["environment"];
  if (!Array.isArray(environment) || (v["run_as"] ?? null) !== null) return undefined;
  const usesSecret = environment.some((env) => typeof env === "object" && env !== null && !Array.isArray(env) && (env["secret"] ?? null) !== null);
  return usesSecret ? "container.run_as is required when using SecretValue" : undefined;
};

// ChannelSpec (base of every channel): annotations comes before the subclass's own fields.
const channelAnnotations = optional("annotations", dict(str));

const models: Record<string, ModelSpec> = {
  // ---- specs/service.py ----
  ServiceSpec: forbid([
    req("version", lit("v1")),
    req("kind", lit("Service")),
    optional("id", str),
    dflt("enabled", bool, true),
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
  SecretValue: forbid([req("id", str)]),
  TokenValue: ignore([req("identity", str), optional("api", model("ApiScope")), optional("role", lit("user", "agent", "tool"))]),
  ServiceRunAs: forbid([
    req("email", str, { after: runAsEmail }),
    dflt("scopes", list(str), ["secrets:proxy"], { after: runAsScopes }), // default_factory=lambda: ["secrets:proxy"]
  ]),
  EnvironmentVariable: forbid([
    req("name", str), optional("value", str), optional("token", model("TokenValue")), optional("secret", model("SecretValue")),
  ]),
  RoomStorageMountSpec: forbid([req("path", str), optional("subpath", str), dflt("read_only", bool, false)]),
  VolumeStorageMountSpec: forbid([req("name", str), req("path", str), optional("subpath", str), dflt("read_only", bool, false)]),
  ImageStorageMountSpec: forbid([req("image", str), req("path", str), optional("subpath", str), dflt("read_only", bool, true)]),
  FileStorageMountSpec: forbid([req("path", str), req("text", str), dflt("read_only", bool, true)]),
  EmptyDirMountSpec: forbid([req("path", str), dflt("read_only", bool, false)]),
  ConfigMountSpec: forbid([dflt("path", str, "/var/run/meshagent")]),
  ContainerMountSpec: forbid([
    optional("room", list(model("RoomStorageMountSpec"))),
    optional("volumes", list(model("VolumeStorageMountSpec"))),
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
  EmailSpec: forbid([req("address", str), dflt("public", bool, false)], emailAddressNotBlank),
  HeartbeatSpec: forbid(
    [req("queue", str), optional("thread_id", str), optional("prompt", list(agentInputContent)), req("minutes", positiveInt)],
    heartbeatPromptSource,
  ),
  AgentSpec: forbid([
    req("name", str), optional("description", str), optional("annotations", dict(str)),
    optional("channels", model("ChannelsSpec")), optional("email", model("EmailSpec")), optional("heartbeat", model("HeartbeatSpec")),
  ]),
  ContainerSpec: forbid(
    [
      req("image", str),
      optional("run_as", model("ServiceRunAs")),
      dflt("template", opt(lit("agent", "none")), "agent"),
      optional("command", str),
      optional("working_dir", str),
      optional("pull_secret", model("SecretValue")),
      optional("environment", list(model("EnvironmentVariable"))),
      optional("storage", model("ContainerMountSpec")),
      optional("on_demand", bool),
      optional("writable_root_fs", bool),
      dflt("private", bool, true),
    ],
    runAsForSecrets,
  ),
  ExternalServiceSpec: forbid([optional("url", str)]),
  MeshagentEndpointSpec: forbid([req("identity", str), optional("api", model("ApiScope"))]),
  // `tool_names: list[str] = None`: the default is None although the type is not Optional.
  AllowedMcpToolFilter: forbid([dflt("tool_names", list(str), null), optional("read_only", bool)]),
  MCPEndpointSpec: forbid([
    req("label", str), optional("description", str), optional("allowed_tools", list(model("AllowedMcpToolFilter"))),
    optional("headers", dict(str)), optional("require_approval", lit("always", "never")),
    optional("oauth", model("OAuthClientConfig")), optional("openai_connector_id", str),
    optional("use_proxy_secret", str),
  ]),
  EndpointSpec: forbid([
    req("path", str), optional("meshagent", model("MeshagentEndpointSpec")), optional("mcp", model("MCPEndpointSpec")),
    optional("annotations", dict(str)),
  ]),
  PortSpec: forbid([
    dflt("num", union(lit("*"), positiveInt), "*", { after: reservedPort }),
    optional("host_port", positiveInt),
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
  AgentFileContent: ignore([req("type", lit("file")), req("url", str), optional("name", str)]),
  AgentAudioContent: ignore([req("type", lit("audio")), req("url", str)]),

  // ---- participant_token.py (no model_config except SecretsGrant: extra ignored) ----
  ApiScope: ignore([
    optional("livekit", model("LivekitGrant")),
    optional("queues", model("QueuesGrant")),
    optional("messaging", model("MessagingGrant")),
    { ...optional("dataset", model("DatasetGrant")), aliases: ["dataset", "database", "datasets"] },
    optional("sqlite", model("SqliteGrant")),
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
  SqliteTableGrant: ignore([
    req("database", str), req("table", str), optional("namespace", list(str)),
    dflt("write", bool, false), dflt("read", bool, true), dflt("alter", bool, false),
  ]),
  SqliteDatabaseGrant: ignore([
    req("name", str), optional("namespace", list(str)),
    dflt("create_table", bool, true), dflt("drop", bool, false), dflt("inspect", bool, true), dflt("list_tables", bool, true),
    dflt("execute", bool, true), optional("tables", list(model("SqliteTableGrant"))),
  ]),
  SqliteGrant: ignore([optional("databases", list(model("SqliteDatabaseGrant"))), ...flags(true, "create_database", "list_databases")]),
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
  SecretsGrant: forbid([]),
  TunnelsGrant: ignore(optionalStrLists("ports")),
  ServicesGrant: ignore(flags(true, "list")),
  LLMGrant: ignore(optionalStrLists("models")),
};

export const SPEC_MODELS_0_50_1: SpecModels = {
  generation: "0.50.1",
  source: "meshagent/meshagent-api@6d950a54203ebd6859018103b9270e4d66a69679",
  models,
  // ApiScope.user_default() / agent_default() (tunnels=False) / full(): sqlite added, secrets gone.
  apiScopePresets: {
    userDefault: ["livekit", "queues", "messaging", "dataset", "sqlite", "memory", "sync", "storage", "containers", "developer", "agents", "services"],
    agentDefault: [
      "livekit", "queues", "messaging", "dataset", "sqlite", "memory", "sync", "storage", "containers", "developer", "agents", "llm", "services",
    ],
    full: [
      "livekit", "queues", "messaging", "dataset", "sqlite", "memory", "sync", "storage", "containers", "developer", "agents", "llm", "admin",
      "tunnels", "services",
    ],
  },
  // Keys a 0.39.9 server sends (a full dump holds each of them, if only as null) and a 0.50.1 server rejects.
  foreignKeys: {
    ContainerSpec: ["secrets"],
    ContainerMountSpec: ["project"],
    SecretValue: ["identity"],
    SecretsGrant: ["request_oauth_token"],
  },
  // meshagent-cli 0.50.1 --meshagent-token (cli@b7cbf99 added GROK_API_KEY and XAI_API_KEY)
  tokenEnvNames: ["MESHAGENT_TOKEN", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GROK_API_KEY", "XAI_API_KEY"],
};
