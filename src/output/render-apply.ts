// Apply results → lines: one per finished service as it happens, then a summary that says
// exactly what was done. Pure.
import type { ApplyEvent, ApplyResult, ServiceResult } from "../apply/apply-plan.js";
import { MeshdeployError } from "../errors.js";
import { shortHash } from "../plan/plan-service.js";
import type { Style } from "./style.js";

/**
 * The line for a finished service. A failed build's log was streamed just above (`[name] …` lines),
 * so its quoted tail is not repeated here; a crashed container's tail was not, so it is shown.
 */
export function resultLine(result: ServiceResult, style: Style): string {
  const { service, outcome } = result;
  const where = style.dim(`(room ${service.room}${result.id ? `, id ${result.id}` : ""})`);
  if (outcome === "failed") return style.red(`✗ ${service.name} ${buildFailed(result) ? `${firstLine(failure(result))} (its log is above)` : failure(result)}`);
  if (outcome === "skipped") return style.yellow(`- ${service.name} skipped (interrupted before it started)`);
  return `${style.green("✓")} ${service.name} ${outcome} ${where}`;
}

/** What failed; a service whose spec was written says so (it exists, or is gone, whatever failed after). */
export function failure(result: ServiceResult): string {
  const message = result.error?.message ?? "unknown error";
  if (!result.written) return `${result.service.type} failed: ${message}`;
  return `${result.written} (id ${result.id}), ${failedToStart(result) ? "but it did not come up" : "then failed"}: ${message}`;
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0]!;
}

/** The image build itself failed (a Dockerfile or context problem: re-running the same files cannot help). */
function buildFailed(result: ServiceResult): boolean {
  return result.error instanceof MeshdeployError && result.error.code === "E_BUILD" && /\bfailed: the build exited with status\b/.test(result.error.message);
}

/** The spec is written and the container did not come up: a re-run plans no change for it. */
function failedToStart(result: ServiceResult): boolean {
  return result.error instanceof MeshdeployError && result.error.code === "E_WAIT";
}

const PHASE_TEXT = { building: "building image", writing: "", restarting: "restarting", waiting: "waiting until it runs", live: "running" } as const;

/** A progress line for an event (null: nothing to print). Build logs are prefixed with the service name. */
export function eventLine(event: ApplyEvent, style: Style): string | null {
  if (event.type === "warning") return style.yellow(`! ${event.line}`);
  if (event.type === "log") return `${style.dim(`[${event.service.name}]`)} ${event.line}`;
  // The plan's `build.context` hash, so the build is the one reviewed; the room's own log may show
  // another hash (the local room's is of the tar archive as received), labelled as such.
  if (event.type === "phase" && event.phase === "building" && event.service.build !== null) {
    return style.dim(`… ${event.service.name} building image from build.context ${shortHash(event.service.build.hash)} (meshdeploy's content hash, as in the plan)`);
  }
  if (event.type === "phase" && PHASE_TEXT[event.phase] !== "") return style.dim(`… ${event.service.name} ${PHASE_TEXT[event.phase]}`);
  if (event.type === "finish" && event.result.outcome !== "unchanged") return resultLine(event.result, style);
  return null;
}

/**
 * The closing summary. Each failure is named by its headline only (its log lines were printed
 * once, above); "Everything else was applied" only when something else was; the re-run hint only
 * when a re-run can help (not for a broken build or a container that crashed); an interrupt
 * before anything started says so.
 */
export function renderApplySummary(result: ApplyResult, style: Style): string[] {
  const s = result.summary;
  const counts = `${s.created} created, ${s.updated} updated, ${s.deleted} deleted, ${s.unchanged} unchanged`;
  const extra = [s.failed > 0 ? `${s.failed} failed` : "", s.skipped > 0 ? `${s.skipped} skipped` : ""].filter(Boolean).join(", ");
  if (s.failed === 0 && s.skipped === 0) return [style.green(`Apply complete: ${counts}.`)];
  const done = s.created + s.updated + s.deleted;
  if (s.failed === 0 && done === 0) return [style.yellow(`Apply interrupted before anything started: nothing was changed (${s.skipped} skipped).`)];
  const lines = [style.red(`Apply finished with errors: ${counts}, ${extra}.`)];
  const failed = result.results.filter((r) => r.outcome === "failed");
  for (const r of failed) {
    lines.push(style.red(`  ✗ ${r.service.name} (room ${r.service.room}): ${firstLine(failure(r))}`));
    const hint = (r.error as { hint?: string } | null)?.hint;
    if (hint) lines.push(style.dim(`    hint: ${hint}`));
    if (failedToStart(r)) lines.push(style.dim("    its spec is written: a re-run plans no change for it but checks its health again (and fails while it is not live); fix the cause (config, image, room) and apply again"));
  }
  const retriable = failed.some((r) => !failedToStart(r) && !buildFailed(r)) || s.skipped > 0;
  const others = done > 0;
  if (others) lines.push(style.dim(`Everything else was applied${retriable ? "; re-run apply to retry what failed" : ""}.`));
  else if (retriable) lines.push(style.dim("Nothing else was applied; re-run apply to retry what failed."));
  return lines;
}
