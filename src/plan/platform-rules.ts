// The rules that depend on the target's MeshAgent version: a field the server's generation does
// not have is a plan problem naming the field (at its place in the config), the version, and what
// to use instead — before anything is written. They run at plan time, once the version is known,
// never in the offline `validate` unless it is given a version (`validate --platform`; platform-0.50.md
// §2.4, M1–M7; DESIGN.md "Platform generations"). Pure.
import type { SourceLocation } from "../diagnostic.js";
import { FEATURE_SINCE, hasFeature, type Feature } from "../model/platform.js";
import type { DesiredService } from "../model/desired.js";
import type { WirePlatform } from "../model/wire.js";

export interface PlatformProblem {
  /** Names the field and where it is, e.g. "`runAs` (.meshdeploy.yaml:7:5) needs MeshAgent 0.45.0 or later; …". */
  message: string;
  hint: string;
  /** The field's place in the config (the service's when the field has none). */
  location: SourceLocation;
  /** The message without the location in it, for a renderer that shows the location itself. */
  bare: string;
}

/** `service.name` (known once the tag is resolved) only improves a message. */
export function platformProblems(service: DesiredService, platform: WirePlatform): PlatformProblem[] {
  const v = platform.version;
  const problems: PlatformProblem[] = [];
  const add = (field: string, rest: string, hint: string): void => {
    const location: SourceLocation | undefined = service.locations.fields?.[field];
    const where = location === undefined ? "" : ` (${location.file}:${location.line}:${location.column})`;
    problems.push({ message: `\`${field}\`${where}${rest}`, bare: `\`${field}\`${rest}`, hint, location: location ?? service.locations.service });
  };
  const needs = (field: string, feature: Feature, instead: string): void => {
    if (!hasFeature(platform, feature)) add(field, ` needs MeshAgent ${FEATURE_SINCE[feature]} or later; the target is MeshAgent ${v}`, instead);
  };
  const accountSecrets = hasFeature(platform, "serviceAccountSecrets");
  if (service.runAs !== null) needs("runAs", "serviceAccountSecrets", "remove `runAs:` (0.39 secrets are room secrets for the service's identity), or target a current server");
  if (service.template !== null) needs("template", "containerTemplate", "remove `template:`: this server has no runtime templates");
  if (service.enabled !== null) needs("enabled", "enabled", "remove `enabled:`: this server runs every service");
  if (service.validation !== null) needs("validation", "validationModes", "remove `validation:`: on this server private services always get cookie validation");
  if (service.mounts.volumes !== null) needs("mounts.volumes", "volumes", accountSecrets ? "named volumes arrived in 0.48; upgrade the server" : "use `mounts.project` on a 0.39 server");
  if (accountSecrets && service.mounts.project !== null) {
    add("mounts.project", `: MeshAgent ${v} has no project mounts (removed in 0.45)`, "mount a named room volume instead: `mounts: {volumes: [{name: …, path: …}]}` (MeshAgent 0.48+)");
  }
  if (accountSecrets && service.secrets.length > 0 && service.runAs === null) {
    add(
      "secrets",
      ` needs \`runAs:\` on MeshAgent ${v}: secrets belong to a service account there (container.run_as), not to the identity ${service.identity ?? service.name ?? "of the service"}`,
      "add `runAs: {email: <service account email>}` (meshagent service-account list) and reference that account's secret ids",
    );
  }
  return problems;
}
