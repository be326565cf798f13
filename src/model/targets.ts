// Targeting (`--service NAME`, `--room NAME`, `--exclude NAME`; like helmfile's `-l name=`,
// Terraform's `-target` and OpenTofu's `-exclude`): which declared services a run acts on.
// A service answers to its service name (derived from the tag, or `name:`) and to its tag's
// repository, as written (`web`) and as normalised (`acme/web`). `--service` and `--room` each
// keep the services matching any of their names; given both, a service must match both; then
// `--exclude` drops the services it names (services only, never rooms). Pure: no I/O; names that
// match nothing come back for the caller to refuse (read/select-targets.ts words the error).
import type { DesiredService } from "./desired.js";
import { parseImageRef } from "./image-ref.js";
import type { ResolvedService } from "./wire.js";

export interface Targets {
  services: readonly string[];
  rooms: readonly string[];
  exclude: readonly string[];
}

export type TargetFlag = "service" | "room" | "exclude";

export interface Unmatched {
  flag: TargetFlag;
  name: string;
}

export interface Selection<S> {
  selected: S[];
  /** Names given that match nothing in the config (each is an error for the caller). */
  unmatched: Unmatched[];
}

/** True when any targeting flag was given. */
export function isTargeting(targets: Targets | undefined | null): targets is Targets {
  return targets !== undefined && targets !== null && targets.services.length + targets.rooms.length + targets.exclude.length > 0;
}

/** The same targets whatever the order or repetition of the flags. */
export function normalTargets(targets: Targets): Targets {
  const tidy = (names: readonly string[]): string[] => [...new Set(names)].sort();
  return { services: tidy(targets.services), rooms: tidy(targets.rooms), exclude: tidy(targets.exclude) };
}

/** Equal as sets; no targeting equals no targeting. */
export function sameTargets(a: Targets | undefined | null, b: Targets | undefined | null): boolean {
  if (!isTargeting(a) || !isTargeting(b)) return !isTargeting(a) && !isTargeting(b);
  return JSON.stringify(normalTargets(a)) === JSON.stringify(normalTargets(b));
}

/** `--service api --room staging --exclude worker`, as one would type it. */
export function describeTargets(targets: Targets): string {
  const flags = [...targets.services.map((n) => `--service ${n}`), ...targets.rooms.map((n) => `--room ${n}`), ...targets.exclude.map((n) => `--exclude ${n}`)];
  return flags.join(" ");
}

/** The names a resolved service answers to: its service name, then its repository as written and as normalised. */
export function namesOf(service: Pick<ResolvedService, "name" | "tag" | "image">): string[] {
  return [...new Set([service.name, repositoryOf(service.tag), repositoryOf(service.image)].filter((n): n is string => n !== null))];
}

function repositoryOf(ref: string): string | null {
  try {
    return parseImageRef(ref).repository;
  } catch {
    return null;
  }
}

/** The services the targets keep, in config order, and every name that matches nothing. */
export function selectTargets<S extends Pick<ResolvedService, "name" | "tag" | "image" | "room">>(services: readonly S[], targets: Targets): Selection<S> {
  const answersTo = (s: S, name: string): boolean => namesOf(s).includes(name);
  const unmatched: Unmatched[] = [
    ...targets.services.filter((n) => !services.some((s) => answersTo(s, n))).map((name) => ({ flag: "service" as const, name })),
    ...targets.rooms.filter((n) => !services.some((s) => s.room === n)).map((name) => ({ flag: "room" as const, name })),
    ...targets.exclude.filter((n) => !services.some((s) => answersTo(s, n))).map((name) => ({ flag: "exclude" as const, name })),
  ];
  const selected = services.filter(
    (s) =>
      (targets.services.length === 0 || targets.services.some((n) => answersTo(s, n))) &&
      (targets.rooms.length === 0 || targets.rooms.includes(s.room)) &&
      !targets.exclude.some((n) => answersTo(s, n)),
  );
  return { selected, unmatched: dedupe(unmatched) };
}

function dedupe(list: Unmatched[]): Unmatched[] {
  return list.filter((u, i) => list.findIndex((v) => v.flag === u.flag && v.name === u.name) === i);
}

/**
 * Before names are resolved (no project key yet, e.g. before a remote target is asked): whether a
 * declared service may be one the targets keep. A superset of selectTargets: the room is exact,
 * `--service` may be the repository as written (`web`), `name:`, or a derived name, which is the
 * repository with "/" as "-", possibly under the project key (`acme-web`); `--exclude` drops only
 * what it certainly names. Used to narrow offline context checks and watch's scope.
 */
export function mayBeTargeted(service: Pick<DesiredService, "tag" | "name" | "room">, targets: Targets): boolean {
  if (targets.rooms.length > 0 && !targets.rooms.includes(service.room)) return false;
  const repository = repositoryOf(service.tag);
  const certain = [service.name, repository].filter((n): n is string => n !== null);
  if (targets.exclude.some((n) => certain.includes(n))) return false;
  if (targets.services.length === 0) return true;
  // The normalised repository may have the project key in front (`web` → `acme/web`).
  if (targets.services.some((n) => certain.includes(n) || (repository !== null && n.endsWith(`/${repository}`)))) return true;
  if (service.name !== null || repository === null) return false;
  const dashed = repository.replaceAll("/", "-");
  return targets.services.some((n) => n === dashed || n.endsWith(`-${dashed}`));
}
