// MeshAgent image-tag handling, restated from the MeshAgent 0.39.9 CLI (meshagent/cli/image.py,
// see /work/shared/meshagent/image-refs.md): parse a `--tag` value, normalise shorthand tags onto
// the project registry, and derive the room service name. Pure: no I/O. The registry and project
// key the CLI fetches over the network arrive here as a NamingContext.
import { MeshdeployError } from "../errors.js";
import { PyUrlValueError, pyIsDigit, pyStrip, pyUrlHostPort } from "./python-str.js";

/** What tag normalisation needs from the platform (platform-api.md §1.2 step B). */
export interface NamingContext {
  projectRegistry: string;
  /** null: the project has none (`ProjectInfo.project_key` is optional from MeshAgent 0.46.2). */
  projectKey: string | null;
}

const NO_PROJECT_KEY = "the project has no project key (MeshAgent 0.46.2+ allows that), so a tag cannot be put under it";

export interface ParsedImageRef {
  /** The whitespace-trimmed reference text. */
  value: string;
  registry: string | null;
  /** Repository pieces joined with "/" (registry and tag left out). */
  repository: string;
  tag: string | null;
}

/**
 * A tag the CLI would reject. `message` is the CLI's exact BadParameter text; `input` is the
 * original, untrimmed `--tag` value (a rebuilt reference may be what the message quotes).
 */
export class ImageRefError extends MeshdeployError {
  readonly input: string;
  constructor(message: string, input: string) {
    super("E_NAMING", message);
    this.name = "ImageRefError";
    this.input = input;
  }
}

/** "deploy" = `meshagent deploy --tag` without PATH; "build" = with PATH (deploy PATH, build, pack). */
export type TagMode = "deploy" | "build";

export interface ResolvedImage {
  image: string;
  serviceName: string;
  ref: ParsedImageRef;
}

export const DEFAULT_PROJECT_REGISTRY = "registry.meshagent.com";

const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY_PIECE_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const REGISTRY_LABEL_RE = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
const PROJECT_KEY_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Step A: parse a `--tag` value (the CLI's `_parse_build_tag`). */
export function parseImageRef(input: string): ParsedImageRef {
  return parse(input, input);
}

/** `text` is parsed and quoted in messages; `input` is what the user typed (kept on the error). */
function parse(text: string, input: string): ParsedImageRef {
  const fail = (message: string): never => {
    throw new ImageRefError(message, input);
  };
  let name = pyStrip(text);
  if (name === "") fail("--tag cannot be empty");
  if (name.includes("@")) fail("--tag must be an OCI image reference without a digest");

  let tag: string | null = null;
  const lastColon = name.lastIndexOf(":");
  if (lastColon > name.lastIndexOf("/")) {
    tag = name.slice(lastColon + 1);
    name = name.slice(0, lastColon);
    if (!TAG_RE.test(tag)) fail(`invalid OCI image tag: ${text}`);
  }
  if (name === "") fail(`invalid OCI image reference: ${text}`);

  const pieces = name.split("/");
  if (pieces.some((piece) => piece === "")) fail(`invalid OCI image reference: ${text}`);

  let registry: string | null = null;
  let repositoryPieces = pieces;
  const first = pieces[0] ?? "";
  if (first.includes(".") || first.includes(":") || first === "localhost") {
    registry = first;
    repositoryPieces = pieces.slice(1);
    if (repositoryPieces.length === 0) fail(`missing repository name in OCI image reference: ${text}`);
    const colon = first.indexOf(":");
    const host = colon < 0 ? first : first.slice(0, colon);
    if (!host.split(".").every((label) => REGISTRY_LABEL_RE.test(label))) {
      fail(`invalid OCI image registry: ${text}`);
    }
    if (colon >= 0 && !pyIsDigit(first.slice(colon + 1))) fail(`invalid OCI image registry port: ${text}`);
  }
  if (!repositoryPieces.every((piece) => REPOSITORY_PIECE_RE.test(piece))) {
    fail(`invalid OCI image repository: ${text}`);
  }
  return { value: pyStrip(text), registry, repository: repositoryPieces.join("/"), tag };
}

/** The room service name: the repository with every "/" replaced by "-" (`_derive_service_name`). */
export function serviceNameOf(ref: ParsedImageRef): string {
  return ref.repository.replaceAll("/", "-");
}

function isSinglePiece(ref: ParsedImageRef): boolean {
  return !ref.repository.includes("/");
}

/**
 * Whether the CLI would look anything up (deployment config, project) for this tag. False for a
 * tag it rejects while parsing, and for a multi-piece repository without PATH.
 */
export function needsNamingContext(input: string, mode: TagMode): boolean {
  let ref: ParsedImageRef;
  try {
    ref = parseImageRef(input);
  } catch (error) {
    if (error instanceof ImageRefError) return false;
    throw error;
  }
  return mode === "build" || isSinglePiece(ref);
}

/** Steps A and B: the image reference the service (or build) uses, and its service name. */
export function resolveImage(input: string, ctx: NamingContext, mode: TagMode): ResolvedImage {
  const parsed = parseImageRef(input);
  let ref: ParsedImageRef;
  if (mode === "deploy") {
    ref = isSinglePiece(parsed) ? onProjectRegistry(parsed, ctx, input) : parsed;
  } else {
    ref = onProjectRegistry(parsed, ctx, input);
    requireProjectRegistryTag(ref, ctx, input);
  }
  return { image: ref.value, serviceName: serviceNameOf(ref), ref };
}

/** `_normalize_room_registry_tag`: put a registry-less or project-registry tag under the project. */
function onProjectRegistry(ref: ParsedImageRef, ctx: NamingContext, input: string): ParsedImageRef {
  if (ref.registry !== null && ref.registry !== ctx.projectRegistry) return ref;
  const registry = ref.registry ?? ctx.projectRegistry;
  if (isSinglePiece(ref) && ctx.projectKey === null) throw new ImageRefError(`${NO_PROJECT_KEY}: write the repository with its namespace (e.g. acme/${ref.repository})`, input);
  const repository = isSinglePiece(ref) ? `${ctx.projectKey}/${ref.repository}` : ref.repository;
  if (registry === ref.registry && repository === ref.repository) return ref;
  const rebuilt = `${registry}/${repository}${ref.tag === null ? "" : `:${ref.tag}`}`;
  return parse(rebuilt, input);
}

/** `_require_room_pack_tag`, then the build stage's project-key equality check. */
function requireProjectRegistryTag(ref: ParsedImageRef, ctx: NamingContext, input: string): void {
  const registry = ctx.projectRegistry;
  const format = `${registry}/<project-key>/<repository>:<tag>`;
  if (ref.registry !== registry) throw new ImageRefError(`PATH requires --tag to use ${format}`, input);
  const pieces = ref.repository.split("/");
  const key = pieces[0] ?? "";
  if (pieces.length < 2) throw new ImageRefError(`room image tags must be in the form ${format}`, input);
  if (!PROJECT_KEY_RE.test(key)) {
    throw new ImageRefError(`room image tags must use a valid project key after ${registry}/`, input);
  }
  if (ctx.projectKey === null) throw new ImageRefError(`${NO_PROJECT_KEY}, and \`build:\` pushes to the project registry under the key (as the CLI, which requires one)`, input);
  if (key !== ctx.projectKey) {
    throw new ImageRefError(
      "the image tag project key does not match the selected project: " +
        `expected ${registry}/${ctx.projectKey}/..., got ${registry}/${key}/...`,
      input,
    );
  }
}

/** image-refs.md §1: the project registry host, from the `GET /config` body and the API URL. */
export function resolveProjectRegistry(
  config: { domains?: { registry?: string | null; api?: string | null } | null } | null,
  apiUrl: string,
): string {
  const configured = nonBlank(config?.domains?.registry);
  if (configured !== null) return configured;
  return registryFromApiBase(config?.domains?.api) ?? registryFromApiBase(apiUrl) ?? DEFAULT_PROJECT_REGISTRY;
}

function nonBlank(value: string | null | undefined): string | null {
  const trimmed = value == null ? "" : pyStrip(value);
  return trimmed === "" ? null : trimmed;
}

/** `_derive_project_registry_from_api_base`: `api.<rest>[:port]` gives `registry.<rest>[:port]`. */
function registryFromApiBase(apiBase: string | null | undefined): string | null {
  const base = nonBlank(apiBase);
  if (base === null) return null;
  try {
    const url = pyUrlHostPort(base.includes("://") ? base : `https://${base}`);
    if (url.hostname === null || !url.hostname.startsWith("api.")) return null;
    const registry = `registry.${url.hostname.slice("api.".length)}`;
    const port = url.port();
    return port === null ? registry : `${registry}:${port}`;
  } catch (error) {
    if (!(error instanceof PyUrlValueError)) throw error;
    // The CLI crashes with Python's ValueError here; surface it as a naming error instead.
    throw new MeshdeployError("E_NAMING", `cannot derive the project registry from ${JSON.stringify(base)}: ${error.message}`);
  }
}
