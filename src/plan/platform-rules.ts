// The rules that depend on the target's MeshAgent version: a field the server's generation does
// not have is a plan problem naming the field (at its place in the config), the version, and what
// to use instead — before anything is written. They run at plan time, once the version is known,
// never in the offline `validate` (platform-0.50.md §2.4, M1–M7; DESIGN.md "Platform generations").
// Pure.
import type { SourceLocation } from "../diagnostic.js";
import { FEATURE_SINCE, hasFeature, type Feature } from "../model/platform.js";
import type { ResolvedService, WirePlatform } from "../model/wire.js";

export interface PlatformProblem {
  message: string;
  hint: string;
  /** The config key the problem is about (its location is in service.locations.fields). */
  field: string;
}

export function platformProblems(service: ResolvedService, platform: WirePlatform): PlatformProblem[] {
  const v = platform.version;
  const at = (field: string): string => {
    const location: SourceLocation | undefined = service.locations.fields?.[field];
    return location === undefined ? `\`${field}\`` : `\`${field}\` (${location.file}:${location.line}:${location.column})`;
  };
  const problems: PlatformProblem[] = [];
  const needs = (field: string, feature: Feature, instead: string): void => {
    if (!hasFeature(platform, feature)) problems.push({ message: `${at(field)} needs MeshAgent ${FEATURE_SINCE[feature]} or later; the target is MeshAgent ${v}`, hint: instead, field });
  };
  const accountSecrets = hasFeature(platform, "serviceAccountSecrets");
  if (service.runAs !== null) needs("runAs", "serviceAccountSecrets", "remove `runAs:` (0.39 secrets are room secrets for the service's identity), or target a current server");
  if (service.template !== null) needs("template", "containerTemplate", "remove `template:`: this server has no runtime templates");
  if (service.enabled !== null) needs("enabled", "enabled", "remove `enabled:`: this server runs every service");
  if (service.validation !== null) needs("validation", "validationModes", "remove `validation:`: on this server private services always get cookie validation");
  if (service.mounts.volumes !== null) needs("mounts.volumes", "volumes", accountSecrets ? "named volumes arrived in 0.48; upgrade the server" : "use `mounts.project` on a 0.39 server");
  if (accountSecrets && service.mounts.project !== null) {
    problems.push({ message: `${at("mounts.project")}: MeshAgent ${v} has no project mounts (removed in 0.45)`, hint: "mount a named room volume instead: `mounts: {volumes: [{name: …, path: …}]}` (MeshAgent 0.48+)", field: "mounts.project" });
  }
  if (accountSecrets && service.secrets.length > 0 && service.runAs === null) {
    problems.push({
      message: `${at("secrets")} needs \`runAs:\` on MeshAgent ${v}: secrets belong to a service account there (container.run_as), not to the identity ${service.identity ?? service.name}`,
      hint: "add `runAs: {email: <service account email>}` (meshagent service-account list) and reference that account's secret ids",
      field: "secrets",
    });
  }
  return problems;
}
