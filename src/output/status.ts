// `meshdeploy status` → rows and their two renderings: a table for people and the versioned JSON
// (docs/status-json.md). One row per declared service, from the plan (does the live spec match
// the config), the live spec (image, digest, git SHA, owner) and its health. Pure.
import type { HealthEntry } from "../apply/check-health.js";
import type { Health } from "../model/health.js";
import { IMAGE_DIGEST, IMAGE_TAG, OWNER } from "../model/annotations.js";
import { GIT_SHA } from "../model/provenance.js";
import type { LiveService } from "../model/service-spec.js";
import type { Plan } from "../plan/types.js";
import type { Style } from "./style.js";

export type SyncState = "in sync" | "drift" | "changes pending";

export interface StatusRow {
  room: string;
  name: string;
  health: Health;
  containerId: string | null;
  restarts: number | null;
  lastExitCode: number | null;
  /** The image as declared (the tag), falling back to the live reference. */
  image: string | null;
  /** `sha256:…` when the live service runs a pinned digest. */
  digest: string | null;
  gitSha: string | null;
  owner: string | null;
  sync: SyncState;
}

export const STATUS_FORMAT_VERSION = 1;

export function statusRows(plan: Plan, live: Record<string, { services: readonly LiveService[] }>, health: readonly HealthEntry[]): StatusRow[] {
  return plan.services.flatMap((service): StatusRow[] => {
    if (service.type === "delete") return [];
    const spec = live[service.room]?.services.find((s) => s.id === service.id);
    const annotations = (spec?.metadata as { annotations?: Record<string, string> } | undefined)?.annotations ?? {};
    const entry = health.find((h) => h.room === service.room && h.name === service.name);
    const liveImage = (spec?.container as { image?: string } | undefined)?.image ?? null;
    const digest = annotations[IMAGE_DIGEST] ?? (liveImage !== null && liveImage.includes("@sha256:") ? liveImage.slice(liveImage.indexOf("@") + 1) : null);
    return [{
      room: service.room,
      name: service.name,
      health: entry?.health ?? (spec === undefined ? "missing" : "starting"),
      containerId: entry?.state?.containerId ?? null,
      restarts: entry?.state?.restartCount ?? null,
      lastExitCode: entry?.state?.lastExitCode ?? null,
      image: annotations[IMAGE_TAG] ?? liveImage ?? service.image,
      digest,
      gitSha: annotations[GIT_SHA] ?? null,
      owner: annotations[OWNER] ?? null,
      sync: service.type === "noop" ? "in sync" : service.drift ? "drift" : "changes pending",
    }];
  });
}

/** Health that makes `status` exit 1. */
export function statusFails(rows: readonly StatusRow[]): boolean {
  return rows.some((r) => r.health !== "healthy" && r.health !== "disabled");
}

/** `environment` and `targets` (as in the plan JSON) only when the run has them. */
export function statusToJson(rows: readonly StatusRow[], plan: Pick<Plan, "environment" | "targets"> = {}): { formatVersion: number; services: StatusRow[]; environment?: string; targets?: Plan["targets"] } {
  return {
    formatVersion: STATUS_FORMAT_VERSION,
    services: rows.map((r) => ({ ...r })),
    ...(plan.environment === undefined ? {} : { environment: plan.environment }),
    ...(plan.targets === undefined ? {} : { targets: plan.targets }),
  };
}

export function renderStatus(rows: readonly StatusRow[], style: Style): string[] {
  if (rows.length === 0) return ["No services declared."];
  const header = ["ROOM", "NAME", "HEALTH", "RESTARTS", "EXIT", "CONTAINER", "IMAGE", "GIT", "SYNC"];
  const cells = rows.map((r) => [
    r.room,
    r.name,
    r.health,
    r.restarts === null ? "-" : String(r.restarts),
    r.lastExitCode === null ? "-" : String(r.lastExitCode),
    r.containerId === null ? "-" : r.containerId.slice(0, 12),
    `${r.image ?? "-"}${r.digest ? ` @${r.digest.slice(0, 19)}` : ""}`,
    r.gitSha === null ? "-" : r.gitSha.slice(0, 7),
    r.sync,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  const colour = (health: Health, text: string): string => (health === "healthy" ? style.green(text) : health === "disabled" || health === "starting" ? style.yellow(text) : style.red(text));
  return [style.dim(line(header)), ...cells.map((c, i) => colour(rows[i]!.health, line(c)))];
}
