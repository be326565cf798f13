// Health entries → lines for apply, watch, sync and `plan --health`: one block per declared service
// that is not live (state, restarts, exit code, the server's notes, the last log lines), a line per
// disabled service, and one count line. Pure.
import { describeUnhealthy, unhealthy, type HealthEntry } from "../apply/check-health.js";
import type { Style } from "./style.js";

export function renderHealth(entries: readonly HealthEntry[], style: Style): string[] {
  if (entries.length === 0) return [];
  const lines: string[] = [];
  for (const entry of entries.filter((e) => e.health === "disabled")) lines.push(style.dim(`- ${entry.name} (room ${entry.room}) disabled: enabled: false, not started and not waited for`));
  for (const entry of entries.filter((e) => e.notWaited === true)) lines.push(style.dim(`… ${entry.name} (room ${entry.room}) still starting (not waited for: --no-wait)`));
  const bad = unhealthy(entries);
  for (const entry of bad) {
    const [headline, ...rest] = describeUnhealthy(entry).split("\n");
    lines.push(style.red(`✗ ${headline}`), ...rest.map((line) => style.dim(line)));
  }
  const live = entries.filter((e) => e.health === "healthy" || e.notWaited === true).length;
  lines.push(bad.length === 0 ? style.green(`Health: ${live} checked service(s) live${entries.some((e) => e.notWaited) ? " or starting" : ""}.`) : style.red(`Health: ${bad.length} of ${entries.length} checked service(s) not live.`));
  return lines;
}
